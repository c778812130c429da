"""Shared paths and helpers for the tests."""

from __future__ import annotations

import json
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
