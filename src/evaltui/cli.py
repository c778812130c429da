"""The command line: ``evaltui [PATH]``, ``check``, ``import``, ``export``.

Heavy imports (python-docx, Textual) happen only in the command that needs them.
Every failure is one line on stderr naming the file; a traceback only with EVALTUI_DEBUG=1.
"""

from __future__ import annotations

import argparse
import os
import sys

COMMANDS = ("check", "import", "export")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, as the interface promises
        self.exit(2, f"{self.prog}: {message}（evaltui --help 查看用法）\n")


def _command_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="evaltui",
        description="项目支出绩效自评表：审阅、编辑、检查，导入导出 Word。",
        epilog="不带子命令时打开应用：evaltui [PATH]（文件夹，默认当前文件夹；或一个 .toml 文件）。",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = sub.add_parser("check", help="检查自评表：得分、总分、等级和问题")
    check.add_argument("paths", nargs="+", metavar="PATH", help=".toml 文件或文件夹（递归查找 *.toml）")
    check.add_argument("--json", action="store_true", help="输出 JSON（格式见 docs/interfaces.md）")
    check.add_argument("--strict", action="store_true", help="有警告时也以 1 退出")

    imp = sub.add_parser("import", help="从 Word 文档导入自评表，每张表存为一个 .toml")
    imp.add_argument("docs", nargs="+", metavar="DOCX")
    imp.add_argument("-o", "--output", default=".", metavar="DIR", help="写入的文件夹（默认当前文件夹）")
    imp.add_argument("--force", action="store_true", help="覆盖已有的同名文件")

    exp = sub.add_parser("export", help="把自评表导出为一个 Word 文档（官方版式）")
    exp.add_argument("paths", nargs="+", metavar="PATH")
    exp.add_argument("-o", "--output", required=True, metavar="OUT.docx")
    return parser


def _app_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="evaltui",
        description="打开应用审阅和编辑自评表。子命令：check、import、export（evaltui check --help）。",
    )
    parser.add_argument("path", nargs="?", default=".", metavar="PATH", help="文件夹（默认当前文件夹）或一个 .toml 文件")
    return parser


def run(argv: list[str]) -> int:
    if argv and argv[0] in COMMANDS or argv[:1] in (["-h"], ["--help"]):
        if argv[:1] in (["-h"], ["--help"]):
            _command_parser().print_help()
            return 0
        args = _command_parser().parse_args(argv)
        if args.command == "check":
            from evaltui import check

            return check.run(args.paths, as_json=args.json, strict=args.strict)
        if args.command == "import":
            from evaltui.word import commands

            return commands.run_import(args.docs, args.output, force=args.force)
        from evaltui.word import commands

        return commands.run_export(args.paths, args.output)
    args = _app_parser().parse_args(argv)
    from evaltui.launch import run_app

    return run_app(args.path)


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
        print(f"evaltui: 内部错误：{type(exc).__name__}: {exc}（设置 EVALTUI_DEBUG=1 可查看详情）", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
