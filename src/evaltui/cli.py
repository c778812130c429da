"""The command line: ``evaltui [PATH]``, ``check``, ``import``, ``export``, ``summary``, ``history``, ``sync``, ``--version``.

Heavy imports (python-docx, openpyxl, Textual) happen only in the command that needs them.
Every failure is one line on stderr naming the file; a traceback only with EVALTUI_DEBUG=1.
"""

from __future__ import annotations

import argparse
import os
import sys

from evaltui import __version__
from evaltui.cli_text import ChineseHelpFormatter, translate
from evaltui.visible import visible

COMMANDS = ("check", "import", "export", "summary", "history", "sync")
VERSION = f"evaltui {__version__}"


class _Parser(argparse.ArgumentParser):
    """argparse with its usage, help and error messages in Chinese."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs["add_help"] = False
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示此帮助并退出")

    def error(self, message: str) -> None:  # one line, exit 2, as the interface promises
        self.exit(2, visible(f"{self.prog}: {translate(message)}（evaltui --help 查看用法）") + "\n")


def _path(text: str) -> str:
    """A path argument: an empty one is bad usage, not "the current folder"."""
    if not text.strip():
        raise argparse.ArgumentTypeError("路径为空")
    return text


def _version(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action="version", version=VERSION, help="显示版本号并退出")


def _command_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="evaltui",
        description="项目支出绩效自评表：审阅、编辑、检查，导入导出 Word，汇总为 Excel。",
        epilog="不带子命令时打开应用：evaltui [PATH]（文件夹，默认当前文件夹；或一个 .toml 文件）。",
    )
    _version(parser)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, title="子命令", metavar="命令")

    check = sub.add_parser("check", help="检查自评表：得分、总分、等级和问题")
    check.add_argument("paths", nargs="+", metavar="PATH", help=".toml 文件或文件夹（递归查找 *.toml）", type=_path)
    check.add_argument("--json", action="store_true", help="输出 JSON（格式见 docs/interfaces.md）")
    check.add_argument("--strict", action="store_true", help="有警告时也以 1 退出")

    imp = sub.add_parser("import", help="从 Word 文档导入自评表，每张表存为一个 .toml")
    imp.add_argument("docs", nargs="+", metavar="DOCX", help=".docx、.docm（装有 LibreOffice 时也可 .doc .wps）", type=_path)
    imp.add_argument("-o", "--output", default=".", metavar="DIR", help="写入的文件夹（须已存在；默认当前文件夹）", type=_path)
    imp.add_argument("--force", action="store_true", help="覆盖已有的同名文件")

    exp = sub.add_parser("export", help="把自评表导出为一个 Word 文档（官方版式）")
    exp.add_argument("paths", nargs="+", metavar="PATH", help=".toml 文件或文件夹", type=_path)
    exp.add_argument("-o", "--output", required=True, metavar="OUT.docx", help="写入的 Word 文档", type=_path)
    exp.add_argument("--force", action="store_true", help="覆盖已有的文件")

    summary = sub.add_parser("summary", help="把文件夹汇总为一张表（.xlsx 或 .csv）")
    summary.add_argument("paths", nargs="+", metavar="PATH", help=".toml 文件或文件夹", type=_path)
    summary.add_argument("-o", "--output", required=True, metavar="OUT.xlsx|OUT.csv", help="写入的汇总表", type=_path)
    summary.add_argument("--force", action="store_true", help="覆盖已有的文件")

    hist = sub.add_parser("history", help="一份自评表保存过的各个版本：时间、谁、改了什么（最新的在前）")
    hist.add_argument("file", metavar="FILE", help="一个 .toml 文件", type=_path)

    syn = sub.add_parser("sync", help="与文件夹的共享副本（版本库的远端）交换版本")
    syn.add_argument("folder", nargs="?", default=".", metavar="FOLDER", help="文件夹（默认当前文件夹）", type=_path)
    return parser


def _app_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="evaltui",
        description="打开应用审阅和编辑自评表。子命令：check、import、export、summary、history、sync（evaltui --help）。",
    )
    _version(parser)
    parser.add_argument("path", nargs="?", default=".", metavar="PATH", help="文件夹（默认当前文件夹）或一个 .toml 文件", type=_path)
    return parser


def run(argv: list[str]) -> int:
    if argv[:1] in (["-h"], ["--help"]):
        _command_parser().print_help()
        return 0
    if len(argv) > 1 and argv[0] not in COMMANDS and not argv[0].startswith("-") and not os.path.lexists(argv[0]):
        print(visible(f"evaltui: 没有子命令 {argv[0]}（子命令：{'、'.join(COMMANDS)}；evaltui --help 查看用法）"), file=sys.stderr)
        return 2
    if not (argv and argv[0] in COMMANDS):
        args = _app_parser().parse_args(argv)
        from evaltui.launch import run_app

        return run_app(args.path)
    args = _command_parser().parse_args(argv)
    if args.command == "check":
        from evaltui import check

        return check.run(args.paths, as_json=args.json, strict=args.strict)
    if args.command == "summary":
        from evaltui import summary

        return summary.run(args.paths, args.output, force=args.force)
    if args.command == "history":
        from evaltui import trail

        return trail.run_history(args.file)
    if args.command == "sync":
        from evaltui import sync

        return sync.run_sync(args.folder)
    from evaltui.word import commands

    if args.command == "import":
        return commands.run_import(args.docs, args.output, force=args.force)
    return commands.run_export(args.paths, args.output, force=args.force)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        return run(argv)
    except KeyboardInterrupt:
        print("evaltui: 已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the promise: never a traceback, one line saying what happened
        if os.environ.get("EVALTUI_DEBUG"):
            raise
        print(visible(f"evaltui: 内部错误：{type(exc).__name__}: {exc}（设置 EVALTUI_DEBUG=1 可查看详情）"), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
