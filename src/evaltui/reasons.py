"""Why an operating-system call failed, in Chinese (the C library's own words are English)."""

from __future__ import annotations

import errno

_REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许此操作",
    errno.ENOSPC: "磁盘空间已满",
    errno.EDQUOT: "超出磁盘配额",
    errno.EROFS: "文件系统只读",
    errno.ENAMETOOLONG: "文件名过长",
    errno.ENOTDIR: "路径中有一项不是文件夹",
    errno.EISDIR: "这是一个文件夹",
    errno.EEXIST: "已存在",
    errno.EIO: "读写设备出错",
    errno.EXDEV: "不能跨文件系统移动",
    errno.EMFILE: "打开的文件过多",
    errno.ELOOP: "符号链接层数过多",
    errno.EBUSY: "设备或资源忙",
    errno.ETXTBSY: "文件正被使用",
}


def os_reason(exc: BaseException) -> str:
    """One short Chinese phrase for an OSError; its own message for anything else."""
    number = getattr(exc, "errno", None)
    if number in _REASONS:
        return _REASONS[number]
    return getattr(exc, "strerror", None) or str(exc)
