"""Old Word and WPS documents (.doc, .wps) → .docx, by LibreOffice, before they are read.

``soffice --headless --convert-to docx`` runs in a private temporary profile and folder (it
never touches the user's LibreOffice settings nor meets another running instance), with a
time limit; the whole process group is ended when the limit passes. The converted file then
goes through the same safety checks as any .docx. A ``.docm`` is not converted: it is the
same package as a .docx with macros beside it, so it is read directly (word/read.py) and
its macros are never opened or run.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from evaltui.word.safety import MAX_FILE_BYTES, UnsafeDocument, open_docx
from evaltui.reasons import os_reason

CONVERTED_SUFFIXES = (".doc", ".wps")
IMPORTED_SUFFIXES = (".docx", ".docm", *CONVERTED_SUFFIXES)  # what import reads (the last two with LibreOffice)
TIMEOUT_SECONDS = 120
INSTALL_HINT = (
    "读取 .doc/.wps 需要 LibreOffice，本机没有找到 soffice：请安装 LibreOffice"
    "（Debian/Ubuntu：apt install libreoffice-writer-nogui），或先在 Word/WPS 中另存为 .docx"
)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 and WPS files are OLE2 compound files
_RTF = b"{\\rtf"
_ZIP = b"PK\x03\x04"


class ConversionError(Exception):
    """The document could not be converted; the message is one line, in Chinese."""


def needs_conversion(path: Path) -> bool:
    return path.suffix.lower() in CONVERTED_SUFFIXES


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _kind(handle: BinaryIO, path: Path) -> str:
    """What the opened document is, from its first bytes: "docx" or "old"."""
    head = handle.read(8)
    handle.seek(0)
    if not head:
        raise ConversionError("文件是空的")
    if head.startswith(_ZIP):
        return "docx"  # a .docx saved under an old name: read as it is
    if head.startswith(_OLE2) or head.startswith(_RTF):
        return "old"
    raise ConversionError(f"不是 Word 文档（{path.suffix} 文件应为 Word 97-2003 或 WPS 格式，此文件不是）")


def _open(path: Path) -> BinaryIO:
    """The document opened as a regular file within the size limit (a FIFO is never waited on)."""
    try:
        return open_docx(path)
    except UnsafeDocument as exc:
        raise ConversionError(str(exc)) from None


@contextmanager
def readable(path: Path) -> Iterator[Path]:
    """The path of a .docx holding the document: ``path`` itself, or a converted copy that
    lives as long as the ``with`` block."""
    if not needs_conversion(path):
        yield path
        return
    with _open(path) as handle:
        old = _kind(handle, path) == "old"
        exe = soffice() if old else None
        if old and exe is None:
            raise ConversionError(INSTALL_HINT)
        data = handle.read(MAX_FILE_BYTES + 1) if old else b""  # the file checked, within the limit
    if not old:
        yield path  # a .docx saved under an old name: read as it is
        return
    with tempfile.TemporaryDirectory(prefix="evaltui-convert-") as tmp:
        folder = Path(tmp)
        source = folder / "in" / f"document{path.suffix.lower()}"  # a plain name: no option-like file names
        source.parent.mkdir()
        source.write_bytes(data)
        out = folder / "out"
        command = [
            exe, f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless", "--invisible", "--norestore", "--nolockcheck", "--nodefault",
            "--convert-to", "docx", "--outdir", str(out), str(source),
        ]
        _run(command, folder)
        result = out / "document.docx"
        if not result.is_file():
            raise ConversionError("LibreOffice 未能转换此文件（文件可能已损坏，或不是 Word 文档）")
        yield result


def _run(command: list[str], folder: Path) -> None:
    env = {**os.environ, "HOME": str(folder)}  # nothing written to the user's home either
    try:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            cwd=folder, env=env, start_new_session=True,
        )
    except OSError as exc:
        raise ConversionError(f"无法启动 LibreOffice（{os_reason(exc)}）") from None
    try:
        process.wait(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        _end_group(process)
        raise ConversionError(f"LibreOffice 转换超过 {TIMEOUT_SECONDS} 秒，已停止") from None
    finally:
        if process.poll() is None:
            _end_group(process)


def _end_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()
