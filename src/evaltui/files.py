"""Finding evaluation files and naming new ones: no parsing here, so it is cheap to import."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

SUFFIX = ".toml"
SETTINGS_NAME = "evaltui.toml"  # a folder's scoring rules (evaltui.settings), never an evaluation
# path separators, characters Windows refuses, and every control character (C0, DEL, C1, bidi)
_UNSAFE_NAME = re.compile('[\\\\/:*?"<>|\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]')


# NAME（冲突 user@host）.toml: the other side's version that sync wrote beside an evaluation
# (evaltui.sync). Not an evaluation of the folder: a folder's listing passes it over.
_CONFLICT_COPY = re.compile(r"（冲突 [^（）/]*）\.toml$")


def is_conflict_copy(name: str) -> bool:
    return _CONFLICT_COPY.search(name) is not None


def find(paths: Iterable[Path | str]) -> Iterator[Path]:
    """Every evaluation file named or below a named folder, each folder's files in name order.

    Hidden files and folders (names starting with a dot) are passed over, and so is the
    folder settings file ``evaltui.toml``, even when named; in a folder, so are sync's
    conflict copies (opened when named); a named path that does not exist is yielded as it
    is, so that the caller reports it.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _walk(path)
        elif path.name != SETTINGS_NAME:
            yield path


def _walk(folder: Path) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(_path(entry.path))
        elif entry.name.endswith(SUFFIX) and entry.name != SETTINGS_NAME and not is_conflict_copy(entry.name):
            yield _path(entry.path)


def subfolder(path: Path, root: Path) -> str:
    """The folder of ``path`` below ``root``, as a list shows it: ``教育局/小学/`` ('' in ``root`` itself)."""
    parent = path.parent
    if parent == root:
        return ""
    try:
        return parent.relative_to(root).as_posix() + "/"
    except ValueError:
        return ""


@lru_cache(maxsize=65536)
def _path(name: str) -> Path:
    """The same Path each time: the folder watcher lists a district's 2,000 files every 2
    seconds, and making their Paths anew was half of its work (in a thread, beside the keys)."""
    return Path(name)


# File names are at most 255 bytes. The names made beside an evaluation are longer than its
# own: the temporary file of a save (.NAME.toml.XXXXXXXX.tmp), the lock (.NAME.toml.lock), the
# recovery file, a copy (NAME（副本 2）.toml). A stem of at most this many bytes leaves room for all.
MAX_STEM_BYTES = 180


def shorten(stem: str, limit: int = MAX_STEM_BYTES) -> str:
    """``stem`` cut (at a character) to at most ``limit`` bytes of UTF-8."""
    encoded = stem.encode("utf-8")
    if len(encoded) <= limit:
        return stem
    return encoded[:limit].decode("utf-8", errors="ignore").rstrip()


def file_name_for(name: str, *, fallback: str = "未命名") -> str:
    """A safe file name for a project name: no path separator, no leading dot, not too long
    (the full name stays in the file), never the folder settings file's name."""
    cleaned = _UNSAFE_NAME.sub("_", name).strip().lstrip(".").strip()
    cleaned = shorten(cleaned[:80].rstrip()) or fallback
    if cleaned + SUFFIX == SETTINGS_NAME:
        cleaned += "_"
    return cleaned + SUFFIX


def clashing(names: Iterable[str]) -> set[str]:
    """The project names given more than once: evaluations their name alone does not tell apart."""
    seen: set[str] = set()
    twice: set[str] = set()
    for name in names:
        (twice if name in seen else seen).add(name)
    return twice


def told_apart(name: str, file: str) -> str:
    """An evaluation whose project name another one has too, as a list names it: by its file
    (``file``, as the list shows files), which tells them apart, after the project name when the
    file's name does not hold it: ``调研经费 (2).toml``, ``调研经费（a.toml）``."""
    if name and name in Path(file).stem:
        return file
    return f"{name or '（未命名）'}（{file}）"


def name_changes(name: str, file_name: str) -> str:
    """Why ``file_name`` (made by ``file_name_for`` / ``planned_names``) is not ``name`` itself,
    in one line ('' when it is): the characters a file name cannot hold, a name too long, a number
    added, said beside the file's path so that the person who typed the name knows which file holds it."""
    stem = file_name[: -len(SUFFIX)] if file_name.endswith(SUFFIX) else file_name
    if stem == name:
        return ""
    said = []
    unsafe = list(dict.fromkeys(_UNSAFE_NAME.findall(name)))
    if unsafe:
        said.append(f"名称中的 {' '.join(unsafe)} 不能用在文件名中，换成了 _")
    cleaned = _UNSAFE_NAME.sub("_", name).strip()
    if cleaned.startswith("."):
        said.append("开头的 . 去掉了（以 . 开头的文件是隐藏的）")
    cleaned = cleaned.lstrip(".").strip()
    if not cleaned:
        said.append("名称中没有能用在文件名中的字符")
    elif shorten(cleaned[:80].rstrip()) != cleaned:
        said.append("名称太长，文件名只取了开头")
    elif cleaned + SUFFIX == SETTINGS_NAME:
        said.append(f"{SETTINGS_NAME} 是文件夹设置文件的名称，加了 _")
    base = file_name_for(name)
    if file_name != base:
        said.append(f"已有文件 {base}，加了编号")
    return "；".join(said)


def planned_names(names: list[str], taken: set[str] | None = None) -> list[str]:
    """One file name per project name, none of them in ``taken``; repeats get ``(2)``, ``(3)`` …"""
    used = set(taken or ())
    result = []
    for project in names:
        base = file_name_for(project)
        name, n = base, 2
        while name in used:
            name = f"{base[: -len(SUFFIX)]} ({n}){SUFFIX}"
            n += 1
        used.add(name)
        result.append(name)
    return result
