"""Checks a .docx must pass before python-docx opens it: bounded size, no zip bomb, no DTD.

Declared sizes bound what ``zipfile`` will inflate (it stops at the declared size and
fails the CRC past it), so checking them is enough to keep memory bounded.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from evaltui import regular
from evaltui.reasons import os_reason

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_MEMBERS = 5000
MAX_TOTAL_INFLATED = 400 * 1024 * 1024
MAX_XML_PART = 48 * 1024 * 1024
MAX_RATIO = 200  # inflated / compressed, for members over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAIN_PART = "word/document.xml"


class UnsafeDocument(Exception):
    """The file is not a Word document evaltui will open; the message is one line, in Chinese."""


def _is_xml(name: str) -> bool:
    return name.endswith((".xml", ".rels"))


def open_docx(path: Path) -> BinaryIO:
    """The document opened for reading: a regular file (never a FIFO, device or folder, which
    are refused without blocking or reading) of at most MAX_FILE_BYTES; UnsafeDocument else."""
    try:
        return regular.open_file(path, MAX_FILE_BYTES)
    except FileNotFoundError:
        raise UnsafeDocument("文件不存在") from None
    except IsADirectoryError:
        raise UnsafeDocument("这是一个文件夹，不是 Word 文档") from None
    except PermissionError:
        raise UnsafeDocument("没有读取权限") from None
    except regular.NotRegular as exc:
        if exc.kind == "文件夹":
            raise UnsafeDocument("这是一个文件夹，不是 Word 文档") from None
        raise UnsafeDocument(f"这是{exc.kind}，不是普通文件，未读取") from None
    except regular.TooLarge as exc:
        size = exc.args[0]
        raise UnsafeDocument(f"文件过大（{size // (1024 * 1024)} MB，上限 {MAX_FILE_BYTES // (1024 * 1024)} MB）") from None
    except OSError as exc:
        raise UnsafeDocument(f"无法读取（{os_reason(exc)}）") from None


def check_docx(source: Path | BinaryIO) -> None:
    """Raise UnsafeDocument unless ``source`` (a path, or a handle from :func:`open_docx`)
    looks like a sane, bounded .docx."""
    if isinstance(source, (str, Path)):
        with open_docx(Path(source)) as handle:
            check_docx(handle)
        return
    if os.fstat(source.fileno()).st_size == 0:
        raise UnsafeDocument("文件是空的")
    try:
        source.seek(0)
        with zipfile.ZipFile(source) as archive:
            _check_members(archive)
    except zipfile.BadZipFile:
        raise UnsafeDocument("不是 Word 文档（不是 .docx 的 zip 格式，或文件已损坏、被截断）") from None
    except (zlib.error, EOFError, NotImplementedError, ValueError, OSError) as exc:
        raise UnsafeDocument(f"文件已损坏，无法解压（{exc}）") from None


def _check_members(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise UnsafeDocument(f"压缩包中文件过多（{len(members)} 个），不像 Word 文档")
    names = {m.filename for m in members}
    if MAIN_PART not in names:
        if "xl/workbook.xml" in names:
            raise UnsafeDocument("这是 Excel 表格，不是 Word 文档")
        if "ppt/presentation.xml" in names:
            raise UnsafeDocument("这是 PowerPoint 演示文稿，不是 Word 文档")
        raise UnsafeDocument("不是 Word 文档（缺少 word/document.xml）")
    total = 0
    for member in members:
        total += member.file_size
        if total > MAX_TOTAL_INFLATED:
            raise UnsafeDocument("解压后过大（可能是 zip 炸弹），拒绝读取")
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise UnsafeDocument(f"{member.filename} 压缩比异常（可能是 zip 炸弹），拒绝读取")
        if _is_xml(member.filename):
            if member.file_size > MAX_XML_PART:
                raise UnsafeDocument(f"{member.filename} 过大，拒绝读取")
            _check_xml(archive, member)


def _check_xml(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    with archive.open(member) as handle:
        head = handle.read(MAX_XML_PART + 1)
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise UnsafeDocument(f"{member.filename} 含有 DTD 或实体声明（可能是 XML 实体炸弹），拒绝读取")
