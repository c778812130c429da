"""Shared paths and helpers for the tests."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
# Copies of ../shared/fixtures and ../shared/tools/tui.py: the tests stand alone on a clone.
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TOOLS = Path(__file__).resolve().parent / "tools"
SEED_DOCX = FIXTURES / "seed-2024.docx"
SEED_LO_DOCX = FIXTURES / "seed-2024-libreoffice.docx"
EXPECTED = FIXTURES / "seed-2024.expected.json"


@pytest.fixture(scope="session")
def expected_forms() -> list[dict]:
    if not EXPECTED.exists():
        pytest.fail(f"{EXPECTED} is missing")
    return json.loads(EXPECTED.read_text(encoding="utf-8"), parse_float=Decimal)


@pytest.fixture(autouse=True, scope="session")
def _git_of_our_own(tmp_path_factory):
    """Saves commit to git: the tests set the identity and config, never the machine's."""
    home = tmp_path_factory.mktemp("git-home")
    config = home / "gitconfig"
    config.write_text("[user]\n\tname = evaltui-tests\n\temail = tests@evaltui.invalid\n[init]\n\tdefaultBranch = main\n"
                      "[protocol \"file\"]\n\tallow = always\n", encoding="utf-8")
    saved = {key: os.environ.get(key) for key in ("GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM", "GIT_TERMINAL_PROMPT")}
    os.environ.update(GIT_CONFIG_GLOBAL=str(config), GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0")
    try:
        import pygit2
        from pygit2.enums import ConfigLevel

        for level in (ConfigLevel.GLOBAL, ConfigLevel.XDG, ConfigLevel.SYSTEM):
            pygit2.settings.search_path[level] = str(home)
    except ImportError:
        pass
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
