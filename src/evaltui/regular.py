"""Reading a file only when it is a regular file, never more than a limit.

A shared folder can hold anything under an evaluation's name: a FIFO named ``x.toml`` (an
ordinary ``open`` waits forever for a writer), a symlink to ``/dev/zero`` (read without end)
or to a terminal. The file is opened non-blocking, checked with ``fstat`` on the descriptor
that is read (no gap between the check and the read), and read up to a limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class NotRegular(OSError):
    """The path is a FIFO, a device, a socket or a folder; ``kind`` says which, in Chinese."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


class TooLarge(OSError):
    """The file holds more than the limit."""


def kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "文件夹"
    if stat.S_ISFIFO(mode):
        return "命名管道（FIFO）"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    if stat.S_ISSOCK(mode):
        return "套接字"
    return "特殊文件"


def _check(fd: int, limit: int) -> os.stat_result:
    """What ``fd`` is, when it is a regular file within ``limit`` bytes; NotRegular or TooLarge else."""
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        raise NotRegular(kind_of(info.st_mode))
    if info.st_size > limit:
        raise TooLarge(info.st_size)
    return info


def open_file(path: Path | str, limit: int) -> BinaryIO:
    """A regular file of at most ``limit`` bytes, opened for reading (binary, seekable).

    NotRegular for anything else (a FIFO is opened without blocking and refused), TooLarge
    (its size as the argument) above the limit, other OSErrors as they come. Whoever reads
    the handle reads the file that was checked, even if the name is changed meanwhile.
    """
    fd = os.open(path, os.O_RDONLY | _NONBLOCK | _CLOEXEC)
    try:
        _check(fd, limit)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read(path: Path | str, limit: int, *, follow: bool = True) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    NotRegular for anything else (without blocking), TooLarge above the limit, other OSErrors
    as they come. With ``follow=False`` a symlink is refused (ELOOP) instead of followed.
    """
    return read_with_inode(path, limit, follow=follow)[0]


def read_with_inode(path: Path | str, limit: int, *, follow: bool = True) -> tuple[bytes, int]:
    """As :func:`read`, with the inode of the file that was read."""
    flags = os.O_RDONLY | _NONBLOCK | _CLOEXEC | (0 if follow else _NOFOLLOW)
    fd = os.open(path, flags)
    try:
        info = _check(fd, limit)
        chunks, size = [], 0
        while size <= limit:  # the file may grow after fstat: stop at the limit all the same
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise TooLarge(size)
        return b"".join(chunks), info.st_ino
    finally:
        os.close(fd)
