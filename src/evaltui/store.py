"""Evaluations as TOML files: read, write atomically, find in folders.

One evaluation per ``.toml`` file. ``schema_version`` comes first and keys keep a fixed
order, so saving is deterministic and a diff shows only what changed. A file that does not
parse or does not fit the model raises :class:`LoadError` naming the file and the line or
field; it is never written over.
"""

from __future__ import annotations

import datetime
import errno
import hashlib
import os
import re
import secrets
import socket
import stat
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import tomli
import tomli_w
from pydantic import BaseModel, ValidationError

from evaltui import regular
from evaltui.model import SCHEMA_VERSION, Evaluation
from evaltui.numbers import canonical
from evaltui.visible import visible
from evaltui.reasons import os_reason

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


SHOWN_FIELD_ERRORS = 3  # a line names this many fields that do not fit, then says how many in all


def _validation_message(exc: ValidationError) -> str:
    """Every field that does not fit, in one line: the first few, then ``等 N 处``."""
    found = []
    for err in exc.errors(include_url=False):
        kind = err["type"]
        if kind == "value_error":
            reason = str(err.get("ctx", {}).get("error", err["msg"]))
        else:
            reason = _FIELD_MESSAGES.get(kind, err["msg"])
        found.append(f"字段 {_field_path(err['loc'])}：{reason}")
    text = "；".join(found[:SHOWN_FIELD_ERRORS])
    return text + (f"……等 {len(found)} 处" if len(found) > SHOWN_FIELD_ERRORS else "")


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
    """Parse one evaluation from TOML text; LoadError on anything that does not fit, and on
    a text with nothing of an evaluation in it (empty, or only comments or schema_version)."""
    if not text.strip():
        raise LoadError(path, "文件是空的" if not text else "文件是空的（只有空白）")
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
    if not data.keys() - {"schema_version"}:
        raise LoadError(path, "文件中没有自评表的内容（没有项目名称、资金或绩效指标）")
    if version > SCHEMA_VERSION:
        data = _known_only(Evaluation, data)
    else:
        data["schema_version"] = SCHEMA_VERSION  # every known schema reads as the current one
    try:
        return Evaluation.model_validate(data)
    except ValidationError as exc:
        raise LoadError(path, _validation_message(exc)) from None


# 项目名称, each 三级指标 and each extra line's or note's label: a blank form or row still says what it is
ALWAYS_WRITTEN = ("name", "label")
TABLE_ARRAYS = ("budget_extra", "notes", "indicators")  # one [[table]] per item, however short


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, (str, dict)) and not value)


def _plain_data(value: object) -> object:
    """What TOML holds of a value: exact numbers, and no blanks (None, "", a table left
    empty) except the names of ALWAYS_WRITTEN."""
    if isinstance(value, dict):
        data = {k: _plain_data(v) for k, v in value.items()}
        return {k: v for k, v in data.items() if k in ALWAYS_WRITTEN or not _blank(v)}
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
    for indicator in data.get("indicators", ()):
        if indicator["applicable"]:
            del indicator["applicable"]
    return _toml(data)


def _toml(data: dict) -> str:
    """TOML as tomli_w writes it, except that an array of tables is always ``[[name]]`` tables
    in its place (tomli_w makes short ones an inline array at the top, which blanks left out
    would make common: a diff of one row would then be a diff of them all)."""
    def dumps(value: dict) -> str:
        return tomli_w.dumps(value, multiline_strings=True)

    chunks = [dumps({k: v for k, v in data.items() if not isinstance(v, dict) and k not in TABLE_ARRAYS})]
    for key, value in data.items():
        if isinstance(value, dict):
            chunks.append(dumps({key: value}))
        elif key in TABLE_ARRAYS:
            chunks += [f"[[{key}]]\n" + dumps(item) for item in value]
    return "\n".join(chunks)


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
        raise LoadError(path, f"无法读取（{os_reason(exc)}）") from None
    if raw.startswith(_WORD_MAGIC):
        raise LoadError(path, "这是 Word 文档，不是 .toml 自评表：请先用 evaltui import 导入")
    if path.suffix.lower() in WORD_SUFFIXES:
        raise LoadError(path, f"名为 {path.suffix} 但不是 Word 文档，也不是 .toml 自评表（文件已损坏或不是自评表）")
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


class ReadOnlyFile(SaveError):
    """The file's mode gives its owner no write permission: someone made it read-only on
    purpose. Nothing was written; the app asks before saving with ``replace_read_only``,
    the command line never does."""

    def __init__(self, path: Path, mode: int):
        super().__init__(f"{path}: 文件设为只读（权限 {mode:04o}），未写入")
        self.path = path
        self.mode = mode


def read_only_reason(path: Path) -> str | None:
    """Why a file opens read-only: its owner cannot write it, by its mode (even for root)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if stat.S_ISREG(info.st_mode) and not info.st_mode & stat.S_IWUSR:
        return f"文件设为只读（权限 {stat.S_IMODE(info.st_mode):04o}）"
    return None


# Temporary files are named .NAME.HOST.PID.RANDOM.tmp: a later opening of the folder removes
# those whose process is gone on this host; those of other hosts after STALE_TEMPORARY_SECONDS.
_HOST_TAG = hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]
_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.(?P<host>[0-9a-f]{8})\.(?P<pid>\d+)\.[0-9a-f]+\.tmp$")
_OLD_TEMPORARY = re.compile(r"^\..+\.(toml|docx|xlsx|csv)\.[A-Za-z0-9_]{8}\.tmp$")  # mkstemp's, before


def write_target(path: Path) -> Path:
    """The file a write to ``path`` replaces: the final target of a symlink (like vim's
    backupcopy=auto, the link stays and its target is written atomically in its own folder)."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _temporary(target: Path) -> tuple[int, Path]:
    for _ in range(100):
        tmp = target.with_name(f".{target.name}.{_HOST_TAG}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0), 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "temporary names all taken", str(target.parent))


def _keep_owner(fd: int, path: Path, old: os.stat_result) -> None:
    """The new file gets the old one's group (and owner, as root), so nobody who could read
    it before loses it. Without the group's membership, a file the group may use is not
    replaced."""
    if os.geteuid() == 0:
        os.fchown(fd, old.st_uid, old.st_gid)
        return
    if os.fstat(fd).st_gid == old.st_gid:
        return
    try:
        os.fchown(fd, -1, old.st_gid)
    except PermissionError:
        if old.st_mode & 0o070:
            raise SaveError(
                f"{path}: 你不在此文件的用户组（gid {old.st_gid}）中，保存会让该组的人无法再读写它，未写入"
            ) from None


def _begin(path: Path, replace_read_only: bool) -> tuple[Path, os.stat_result | None, int, Path]:
    """What a write of ``path`` replaces (and its state), and the temporary file made beside it;
    SaveError (one line) when the write would be refused."""
    target = write_target(path)
    try:
        old: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        old = None
    except OSError as exc:
        raise SaveError(f"{path}: 无法写入（{os_reason(exc)}）") from None
    if old is not None and not stat.S_ISREG(old.st_mode):
        raise SaveError(f"{path}: 指向{regular.kind_of(old.st_mode)}，不是普通文件，未写入")
    if old is not None and not old.st_mode & stat.S_IWUSR and not replace_read_only:
        raise ReadOnlyFile(path, stat.S_IMODE(old.st_mode))
    try:
        fd, tmp = _temporary(target)
    except OSError as exc:
        # creating in a folder that is there but gives "no such file" (/proc, /sys): it takes no new file
        why = "此文件夹不能新建文件" if exc.errno == errno.ENOENT and target.parent.is_dir() else os_reason(exc)
        raise SaveError(f"{path}: 无法在 {target.parent} 中写入（{why}）") from None
    return target, old, fd, tmp


def output_refusal(target: Path, suffixes: tuple[str, ...], *, force: bool) -> str:
    """Why a command will not write its output file ``target`` (empty: it may): the wrong ending,
    a file that exists without ``--force``, a folder that is not there (never made)."""
    if target.suffix.lower() not in suffixes:
        return f"{target}: 输出文件应以 {' 或 '.join(suffixes)} 结尾"
    if target.exists() and not force:
        return f"{target}: 文件已存在，未写入（用 --force 覆盖）"
    if not target.parent.is_dir():
        return f"{target.parent}: 文件夹不存在，未写入（请先创建它）"
    return ""


def check_writable(path: Path, *, replace_read_only: bool = False) -> None:
    """SaveError with the reason a write of ``path`` would be refused, found as the write finds
    it (the temporary file is made, then removed): for a prompt to say before it closes."""
    _, _, fd, tmp = _begin(Path(path), replace_read_only)
    os.close(fd)
    tmp.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes, *, replace_read_only: bool = False) -> None:
    """Write bytes to a temporary file beside the file, fsync it, then rename it over the file.

    The file keeps its mode and group (and owner, as root); a symlink stays and its target is
    replaced. Never written: a file whose owner cannot write it (ReadOnlyFile) unless
    ``replace_read_only``, and anything not a regular file (a device, a FIFO) behind a link.
    On any error the file is left as it was.
    """
    path = Path(path)
    target, old, fd, tmp = _begin(path, replace_read_only)
    directory = target.parent
    mode = stat.S_IMODE(old.st_mode) if old is not None else _default_mode()
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
            if old is not None:
                _keep_owner(fd, path, old)
            os.fchmod(fd, mode)  # after fchown, which may clear set-id bits
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except SaveError:
        tmp.unlink(missing_ok=True)
        raise
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise SaveError(f"{path}: 保存失败（{os_reason(exc)}），原文件未改动") from None
    _fsync_directory(directory)
    sweep_temporaries(directory)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def sweep_temporaries(folder: Path) -> list[Path]:
    """Remove temporary files a killed save left in ``folder``: at once when their process is
    gone on this host, after STALE_TEMPORARY_SECONDS when they come from another host (or an
    older evaltui). Returns what was removed."""
    removed: list[Path] = []
    now = datetime.datetime.now().timestamp()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not (entry.name.startswith(".") and entry.name.endswith(".tmp")):
            continue
        match = _TEMPORARY.match(entry.name)
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            if match and match["host"] == _HOST_TAG:
                gone = not _pid_alive(int(match["pid"]))
            elif _OLD_TEMPORARY.match(entry.name):
                gone = now - entry.stat(follow_symlinks=False).st_mtime > STALE_TEMPORARY_SECONDS
            else:
                gone = False
            if gone:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


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


def save(path: Path | str, ev: Evaluation, *, replace_read_only: bool = False) -> str | None:
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
    write_atomic(path, data, replace_read_only=replace_read_only)
    try:
        return versions.record(path, data, before)
    except versions.VersionError as exc:
        raise NotVersioned(f"{exc}（文件已保存）") from None
