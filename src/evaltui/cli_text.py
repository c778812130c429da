"""argparse's English messages in Chinese, without gettext catalogues.

argparse builds its messages in English; :func:`translate` rewrites the ones it can give
(Python 3.11–3.13) and leaves anything it does not know as it is.
"""

from __future__ import annotations

import argparse
import re

_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), replacement)
    for pattern, replacement in (
        (r"the following arguments are required: (.*)", r"缺少参数：\1"),
        (r"unrecognized arguments: (.*)", r"不认识的参数：\1"),
        (r"invalid choice: (.*?) \(choose from (.*)\)", r"无效的选择：\1（可选：\2）"),
        (r"expected one argument", "需要一个值"),
        (r"expected at most one argument", "最多只能有一个值"),
        (r"expected at least one argument", "至少需要一个值"),
        (r"expected (\d+) arguments?", r"需要 \1 个值"),
        (r"ambiguous option: (.*?) could match (.*)", r"选项 \1 有歧义，可能是：\2"),
        (r"not allowed with argument (.*)", r"不能与参数 \1 同时使用"),
        (r"ignored explicit argument (.*)", r"多余的值 \1"),
        (r"one of the arguments (.*) is required", r"需要以下参数之一：\1"),
        (r"unexpected option string: (.*)", r"意外的选项：\1"),
        (r"invalid \S+ value: (.*)", r"无效的值：\1"),
        (r"can't open (.*?): (.*)", r"无法打开 \1：\2"),
    )
)
_ARGUMENT = re.compile(r"argument (.+?): (.*)", re.DOTALL)


def translate(message: str) -> str:
    """An argparse error message in Chinese (``argument -o/--output: expected one argument`` → …)."""
    found = _ARGUMENT.fullmatch(message)
    if found:
        return f"参数 {found.group(1)}：{translate(found.group(2))}"
    for pattern, replacement in _MESSAGES:
        if pattern.fullmatch(message):
            return pattern.sub(replacement, message)
    return message


class ChineseHelpFormatter(argparse.HelpFormatter):
    """``用法：`` instead of ``usage: ``."""

    def add_usage(self, usage, actions, groups, prefix=None):  # noqa: ANN001 - argparse's signature
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)
