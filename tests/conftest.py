"""Shared paths and helpers for the tests."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = Path(os.environ.get("EVALTUI_SHARED", ROOT.parent / "shared"))
FIXTURES = SHARED / "fixtures"
SEED_DOCX = FIXTURES / "seed-2024.docx"
SEED_LO_DOCX = FIXTURES / "seed-2024-libreoffice.docx"
EXPECTED = FIXTURES / "seed-2024.expected.json"


@pytest.fixture(scope="session")
def expected_forms() -> list[dict]:
    if not EXPECTED.exists():
        pytest.fail(f"{EXPECTED} is missing: the tests need ../shared beside the checkout")
    return json.loads(EXPECTED.read_text(encoding="utf-8"), parse_float=Decimal)
