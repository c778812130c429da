"""Text from outside is hostile: every control character, in every field, file name and key,
comes out of every command made visible (human output) or escaped (JSON), never raw."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from evaltui import check, store, summary
from evaltui.model import BudgetLine, Evaluation, Goals, Indicator, Note
from evaltui.visible import escape_json, visible
from evaltui.word import commands

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"
CONTROLS = [chr(c) for c in range(0x20)] + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0)] + list(BIDI)
# what the issue saw: clear the screen, write the clipboard (OSC 52), a one-character CSI
ATTACK = "\x1b[2J\x1b]52;c;aGFja2Vk\x07\x9b31m\u202e"
PAYLOAD = "甲" + "".join(CONTROLS) + ATTACK + "乙"
# a file name cannot hold NUL or /
NAME_PAYLOAD = PAYLOAD.replace("\x00", "").replace("/", "")


def raw_controls(text: str, *, allowed: str = "\n") -> set[str]:
    return {c for c in text if c in CONTROLS and c not in allowed}


def hostile_evaluation() -> Evaluation:
    return Evaluation(
        name=PAYLOAD, year=2025, department=PAYLOAD, implementer=PAYLOAD, leader=PAYLOAD, phone=PAYLOAD,
        goals=Goals(expected=PAYLOAD, actual=PAYLOAD),
        budget_extra=(BudgetLine(label=PAYLOAD),),
        notes=(Note(label=PAYLOAD, text=PAYLOAD),),
        indicators=(
            Indicator(level1=PAYLOAD, level2=PAYLOAD, name=PAYLOAD, target=PAYLOAD, actual=PAYLOAD,
                      weight=PAYLOAD, score=PAYLOAD, reason=PAYLOAD),
            Indicator(level1="产出指标", level2="数量指标", name=PAYLOAD, target="1", actual="1",
                      weight="50", score="60", reason=""),
        ),
    )


@pytest.fixture
def hostile_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "folder"
    folder.mkdir()
    store.save(folder / f"{NAME_PAYLOAD}.toml", hostile_evaluation())
    # an unknown key, quoted in the LoadError message
    (folder / f"key{NAME_PAYLOAD}.toml").write_text(
        f'name = "x"\n{json.dumps(PAYLOAD)} = 1\n', encoding="utf-8")
    # an unknown key in a table
    (folder / "nested.toml").write_text(f'[goals]\n{json.dumps(PAYLOAD)} = "x"\n', encoding="utf-8")
    # a file that is no TOML at all, its name hostile
    (folder / f"broken{NAME_PAYLOAD}.toml").write_text("= = =\n", encoding="utf-8")
    # a settings file with a hostile key, over one evaluation it leaves unscored
    ruled = folder / f"ruled{NAME_PAYLOAD}"
    ruled.mkdir()
    (ruled / "evaltui.toml").write_text(f'{json.dumps(PAYLOAD)} = 1\n', encoding="utf-8")
    store.save(ruled / "one.toml", Evaluation(name="一"))
    return folder


def test_visible_escapes_every_control_and_keeps_other_text():
    for c in CONTROLS:
        shown = visible(f"a{c}b")
        assert shown == f"a\\u{ord(c):04x}b"
        assert not raw_controls(shown, allowed="")
    assert visible("第一行\n第二行\t完", lines=True) == "第一行\n第二行\t完"
    assert visible("甲 [red]乙[/] ␛ é 𠀀") == "甲 [red]乙[/] ␛ é 𠀀"
    # undecodable bytes of a file name (surrogate escapes) cannot crash a print
    assert visible("a\udcffb") == "a\\udcffb"


def test_escape_json_escapes_what_json_dumps_leaves_raw_and_decodes_to_the_same():
    text = escape_json(json.dumps({"k": PAYLOAD}, ensure_ascii=False))
    assert not raw_controls(text, allowed="")
    assert json.loads(text) == {"k": PAYLOAD}


def test_check_human_output_and_stderr_show_no_raw_control(hostile_folder):
    out, err = io.StringIO(), io.StringIO()
    code = check.run([str(hostile_folder)], as_json=False, strict=False, out=out, err=err)
    assert code == 1  # errors and unreadable files
    assert not raw_controls(out.getvalue()), sorted(map(ord, raw_controls(out.getvalue())))
    assert not raw_controls(err.getvalue()), sorted(map(ord, raw_controls(err.getvalue())))
    assert "\\u0000" in out.getvalue() and "\\u001b[2J" in out.getvalue()  # the table row, visibly
    assert err.getvalue().count("\n") == 4  # one line per unreadable file, one for the settings
    assert "\\u001b]52" in err.getvalue()  # the unknown key, visibly


def test_check_json_escapes_every_control_and_keeps_the_text(hostile_folder):
    out, err = io.StringIO(), io.StringIO()
    check.run([str(hostile_folder)], as_json=True, strict=False, out=out, err=err)
    text = out.getvalue()
    assert not raw_controls(text)
    assert not raw_controls(err.getvalue())
    report = json.loads(text)
    (ev,) = report["evaluations"]
    assert ev["file"].endswith(f"{NAME_PAYLOAD}.toml")
    model = hostile_evaluation()  # as the model keeps them (\r\n and \r become \n)
    assert "\x1b" in model.name and "\x9b" in model.name and "\u202e" in model.name
    for key in ("name", "department", "implementer", "leader", "phone"):
        assert ev[key] == getattr(model, key)
    assert ev["goals"] == {"expected": model.goals.expected, "actual": model.goals.actual}
    first = ev["indicators"][0]
    for key in ("level1", "level2", "name", "target", "actual", "weight", "score", "reason"):
        assert first[key] == getattr(model.indicators[0], key), key
    assert len(report["errors"]) == 5  # three files, the settings and the file it leaves unscored


def test_check_as_a_process_writes_no_raw_control_to_the_terminal(hostile_folder):
    for extra in ([], ["--json"]):
        done = subprocess.run([sys.executable, "-m", "evaltui", "check", str(hostile_folder), *extra],
                              capture_output=True, timeout=120)
        assert done.returncode == 1, done.stderr.decode()
        for stream in (done.stdout.decode("utf-8"), done.stderr.decode("utf-8")):
            assert not raw_controls(stream), sorted(map(ord, raw_controls(stream)))


def test_export_import_and_summary_messages_show_no_raw_control(hostile_folder, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    docx = tmp_path / f"out{NAME_PAYLOAD}.docx"
    assert commands.run_export([str(hostile_folder)], str(docx), out=out, err=err) == 1
    assert docx.exists()
    out2, err2 = io.StringIO(), io.StringIO()
    (tmp_path / f"in{NAME_PAYLOAD}").mkdir()
    assert commands.run_import([str(docx)], str(tmp_path / f"in{NAME_PAYLOAD}"), force=False, out=out2, err=err2) == 0
    out3, err3 = io.StringIO(), io.StringIO()
    summary.run([str(hostile_folder)], str(tmp_path / f"sum{NAME_PAYLOAD}.csv"), force=False, out=out3, err=err3)
    # the second run refuses to replace: its message names the hostile output
    summary.run([str(hostile_folder)], str(tmp_path / f"sum{NAME_PAYLOAD}.csv"), force=False, out=out3, err=err3)
    commands.run_export([str(hostile_folder)], str(docx), out=out3, err=err3)
    for stream in (out, err, out2, err2, out3, err3):
        assert not raw_controls(stream.getvalue()), sorted(map(ord, raw_controls(stream.getvalue())))
    assert err.getvalue() and out2.getvalue() and err3.getvalue()
    # the imported file's name carries no control either
    imported = list((tmp_path / f"in{NAME_PAYLOAD}").iterdir())
    assert len(imported) == 2  # the hostile form and 一 (export does not follow the settings)
    for path in imported:
        assert not raw_controls(path.name, allowed="")
