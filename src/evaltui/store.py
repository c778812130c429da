"""Evaluations as TOML files: read, write atomically, find in folders.

One evaluation per ``.toml`` file. ``schema_version`` comes first and keys keep a fixed
order, so saving is deterministic and a diff shows only what changed. A file that does not
parse or does not fit the model raises :class:`LoadError` naming the file and the line or
field; it is never written over.
"""

from __future__ import annotations

import datetime
import os
import stat
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from glob import escape as glob_escape
from pathlib import Path

import tomli
import tomli_w
from pydantic import BaseModel, ValidationError

from evaltui import regular
from evaltui.model import SCHEMA_VERSION, Evaluation
from evaltui.numbers import canonical
from evaltui.visible import visible

MAX_FILE_BYTES = 4 * 1024 * 1024
STALE_TEMPORARY_SECONDS = 600  # a writer's temporary file older than this was left by a crash
WORD_SUFFIXES = (".docx", ".doc", ".docm", ".wps", ".dotx", ".dot")
_WORD_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # zip (.docx), OLE (.doc, .wps)


class LoadError(Exception):
    """A file that cannot be used as an evaluation; the message is one line, in Chinese.

    ``message`` and ``str()`` are safe to show: the keys, values and file name they quote
    went through :func:`evaltui.visible.visible`.
    """

    def __init__(self, path: Path | str, message: str):
        message = visible(message)
        super().__init__(message)
        self.path = Path(path)
        self.message = message

    def __str__(self) -> str:
        return f"{visible(self.path)}: {self.message}"


class SaveError(Exception):
    """A save that did not happen; the file on disk is unchanged. Its text is safe to show."""

    def __init__(self, message: str):
        super().__init__(visible(message))


class NotVersioned(SaveError):
    """The file was saved, but no version of it could be recorded; the message says why."""


@dataclass(frozen=True)
class Signature:
    """What a file was when it was read: a save checks it is still the same."""

    size: int
    mtime_ns: int
    inode: int

    @classmethod
    def of(cls, path: Path) -> Signature:
        st = path.stat()
        return cls(st.st_size, st.st_mtime_ns, st.st_ino)


# ---------------------------------------------------------------- text ↔ evaluation

_FIELD_MESSAGES = {
    "missing": "缺少此项",
    "extra_forbidden": "不认识的项（拼写错误？）",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "string_type": "应为文字",
    "literal_error": "取值不在允许范围内",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "tuple_type": "应为表格数组（[[indicators]]）",
    "model_type": "应为表格",
}


def _field_path(loc: tuple) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        elif not str(part).startswith(("function-", "decimal", "str", "none", "lax-", "json-")):
            text += ("." if text else "") + str(part)
    return text or "(整个文件)"


def _validation_message(exc: ValidationError) -> str:
    err = exc.errors(include_url=False)[0]
    kind = err["type"]
    if kind == "value_error":
        reason = str(err.get("ctx", {}).get("error", err["msg"]))
    else:
        reason = _FIELD_MESSAGES.get(kind, err["msg"])
    more = f"（另有 {len(exc.errors()) - 1} 处问题）" if len(exc.errors()) > 1 else ""
    return f"字段 {_field_path(err['loc'])}：{reason}{more}"


def _known_only(model: type[BaseModel], data: object) -> object:
    """Drop keys this version does not know, so a newer file can still be shown."""
    if not isinstance(data, dict):
        return data
    result = {}
    for key, value in data.items():
        field = model.model_fields.get(key)
        if field is None:
            continue
        sub = _submodel(field.annotation)
        if sub is not None and isinstance(value, list):
            value = [_known_only(sub, item) for item in value]
        elif sub is not None:
            value = _known_only(sub, value)
        result[key] = value
    return result


def _submodel(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def loads(text: str, path: Path | str = "<text>") -> Evaluation:
    """Parse one evaluation from TOML text; LoadError on anything that does not fit."""
    try:
        data = tomli.loads(text, parse_float=Decimal)
    except RecursionError:
        raise LoadError(path, "数组或表格嵌套过深，不是一份自评表") from None
    except tomli.TOMLDecodeError as exc:
        reason = getattr(exc, "msg", str(exc))
        line, column = getattr(exc, "lineno", None), getattr(exc, "colno", None)
        if getattr(exc, "pos", None) == len(text):
            reason += "；文件在此处结束，可能不完整或被截断"
        if line:
            raise LoadError(path, f"第 {line} 行第 {column} 列：TOML 格式错误（{reason}）") from None
        raise LoadError(path, f"TOML 格式错误（{reason}）") from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise LoadError(path, "数字位数过多，不是一份自评表") from None
    version = data.get("schema_version", SCHEMA_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise LoadError(path, "字段 schema_version：应为正整数")
    if version > SCHEMA_VERSION:
        data = _known_only(Evaluation, data)
    else:
        data["schema_version"] = SCHEMA_VERSION  # every known schema reads as the current one
    try:
        return Evaluation.model_validate(data)
    except ValidationError as exc:
        raise LoadError(path, _validation_message(exc)) from None


def _plain_data(value: object) -> object:
    if isinstance(value, dict):
        return {k: _plain_data(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_plain_data(v) for v in value]
    if isinstance(value, Decimal):
        number = canonical(value)
        return int(number) if number == number.to_integral_value() else number
    return value


def dumps(ev: Evaluation) -> str:
    """The TOML text of an evaluation: fixed key order, blanks left out, exact decimals."""
    data = _plain_data(ev.model_dump())
    if not ev.read_only:
        data["schema_version"] = ev.needed_schema_version
    for key in ("budget_extra", "notes"):
        if not data[key]:
            del data[key]
    for indicator in data["indicators"]:
        if indicator["applicable"]:
            del indicator["applicable"]
    return tomli_w.dumps(data, multiline_strings=True)


# ---------------------------------------------------------------- files

def read_text(path: Path) -> str:
    """The text of an evaluation file: a regular file (never a FIFO or device) of at most
    MAX_FILE_BYTES, in UTF-8. Anything else is a LoadError, without blocking."""
    try:
        raw = regular.read(path, MAX_FILE_BYTES)
    except FileNotFoundError:
        raise LoadError(path, "文件不存在") from None
    except IsADirectoryError:
        raise LoadError(path, "这是一个文件夹，不是文件") from None
    except PermissionError:
        raise LoadError(path, "没有读取权限") from None
    except regular.NotRegular as exc:
        if exc.kind == "文件夹":
            raise LoadError(path, "这是一个文件夹，不是文件") from None
        raise LoadError(path, f"这是{exc.kind}，不是普通文件，未读取") from None
    except regular.TooLarge:
        raise LoadError(path, f"文件过大（超过 {MAX_FILE_BYTES // (1024 * 1024)} MB），不是一份自评表") from None
    except OSError as exc:
        raise LoadError(path, f"无法读取（{exc.strerror or exc}）") from None
    if path.suffix.lower() in WORD_SUFFIXES or raw.startswith(_WORD_MAGIC):
        raise LoadError(path, "这是 Word 文档，不是 .toml 自评表：请先用 evaltui import 导入")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise LoadError(path, f"不是 UTF-8 文本（第 {line} 行）") from None


def load(path: Path | str) -> Evaluation:
    path = Path(path)
    return loads(read_text(path), path)


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: Path, data: bytes) -> None:
    """Write bytes to a temporary file beside ``path``, fsync it, then rename it over ``path``.

    The old file keeps its permission bits; on any error it is left as it was.
    """
    directory = path.parent
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = _default_mode()
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise SaveError(f"{path}: 无法在 {directory} 中写入（{exc.strerror or exc}）") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            os.fchmod(handle.fileno(), mode)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise SaveError(f"{path}: 保存失败（{exc.strerror or exc}），原文件未改动") from None
    _fsync_directory(directory)
    _sweep_temporaries(path)


def _sweep_temporaries(path: Path) -> None:
    """Remove temporary files of ``path`` that a killed writer left behind long ago."""
    now = datetime.datetime.now().timestamp()
    for leftover in path.parent.glob(f".{glob_escape(path.name)}.*.tmp"):
        try:
            if now - leftover.stat().st_mtime > STALE_TEMPORARY_SECONDS:
                leftover.unlink()
        except OSError:
            continue


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def save(path: Path | str, ev: Evaluation) -> str | None:
    """Save an evaluation atomically and record it as a version (versions.py).

    Returns the new version's commit, None when the save changed nothing. A file of a newer
    schema is never written. A failed write records nothing; a write whose version could not
    be recorded raises NotVersioned after the file was saved.
    """
    path = Path(path)
    if ev.read_only:
        raise SaveError(
            f"{path}: 此文件由更新版本的 evaltui 写成（schema_version {ev.schema_version}），只读；请升级 evaltui"
        )
    from evaltui import versions  # git is loaded by the first save, not by every command

    data = dumps(ev).encode("utf-8")
    before = versions.read_plain(path)
    write_atomic(path, data)
    try:
        return versions.record(path, data, before)
    except versions.VersionError as exc:
        raise NotVersioned(f"{exc}（文件已保存）") from None
