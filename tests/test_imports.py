"""Import hygiene: the command line pays only for what the command uses."""

from __future__ import annotations

import json
import subprocess
import sys

from app_helpers import ONE, folder_with

HEAVY = ("textual", "pydantic", "docx")


def _loaded_after(code: str) -> set[str]:
    probe = code + f"\nimport json, sys\nprint(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def test_importing_the_cli_loads_nothing_heavy():
    assert _loaded_after("import evaltui.cli") == set()


def test_check_loads_neither_textual_nor_python_docx(tmp_path):
    folder = folder_with(tmp_path, ONE)
    code = (
        "import contextlib, io\nfrom evaltui import cli\n"
        f"with contextlib.redirect_stdout(io.StringIO()):\n    cli.main(['check', {str(folder)!r}])"
    )
    loaded = _loaded_after(code)
    assert "textual" not in loaded and "docx" not in loaded
    assert "pydantic" in loaded, "check reads the files with the model, which needs pydantic"
