"""TOML files: exact, deterministic, atomic; bad files reported and never written over."""

from __future__ import annotations

import os
import stat
from decimal import Decimal

import pytest
from conftest import EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaltui import files, store
from evaltui.labels import DIRECTIONS
from evaltui.model import (
    SCHEMA_VERSION,
    Amounts,
    Budget,
    Evaluation,
    Goals,
    Indicator,
)

texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
long_texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=200)
decimals = st.decimals(min_value=Decimal("-999999"), max_value=Decimal("999999"), places=4, allow_nan=False)
maybe_decimal = st.none() | decimals
score_values = maybe_decimal | st.text(alphabet="满分不详abc甲", min_size=1, max_size=6)

amounts = st.builds(Amounts, initial=maybe_decimal, full_year=maybe_decimal, executed=maybe_decimal)
indicators = st.builds(
    Indicator, level1=texts, level2=texts, name=texts, target=texts, actual=texts,
    weight=score_values, score=score_values, reason=long_texts,
    direction=st.none() | st.sampled_from(DIRECTIONS),
)
evaluations = st.builds(
    Evaluation,
    name=texts, year=st.none() | st.integers(1900, 2999), department=texts, implementer=texts,
    leader=texts, phone=texts, reported_total=maybe_decimal,
    budget=st.builds(Budget, total=amounts, appropriation=amounts, carryover=amounts, other=amounts),
    goals=st.builds(Goals, expected=long_texts, actual=long_texts),
    indicators=st.lists(indicators, max_size=6).map(tuple),
)


@settings(max_examples=300, deadline=None)
@given(evaluations)
def test_any_evaluation_saves_and_loads_back_equal(ev):
    assert store.loads(store.dumps(ev)) == ev


@settings(max_examples=200, deadline=None)
@given(evaluations)
def test_saving_twice_gives_identical_bytes(ev):
    once = store.dumps(ev)
    assert store.dumps(store.loads(once)) == once


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(evaluations)
def test_save_to_disk_round_trips(tmp_path, ev):
    path = tmp_path / "x.toml"
    store.save(path, ev)
    assert store.load(path) == ev


def test_examples_load_and_save_byte_for_byte():
    for path in sorted(EXAMPLES.glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        assert store.dumps(store.load(path)) == text, path.name


def test_schema_version_comes_first_and_keys_keep_their_order():
    text = store.dumps(store.load(EXAMPLES / "调研经费.toml"))
    assert text.startswith("schema_version = 1\nname = ")
    assert text.index("[budget.total]") < text.index("[goals]") < text.index("[[indicators]]")


def test_amounts_stay_exact():
    ev = Evaluation(budget=Budget(total=Amounts(executed="27.415", full_year="4.50")))
    text = store.dumps(ev)
    assert "executed = 27.415" in text
    assert "full_year = 4.5\n" in text
    back = store.loads(text)
    assert back.budget.total.executed == Decimal("27.415")


def test_long_texts_with_line_breaks_survive():
    goal = '1、第一条；\n2、第二条 "引号" \\ 反斜杠\n\n3、"""三引号"""'
    ev = Evaluation(goals=Goals(expected=goal), indicators=(Indicator(reason="偏差原因：甲。\r\n改进措施：乙。"),))
    back = store.loads(store.dumps(ev))
    assert back.goals.expected == goal
    assert back.indicators[0].reason == "偏差原因：甲。\n改进措施：乙。"


def test_save_is_atomic_and_keeps_the_mode(tmp_path):
    path = tmp_path / "a.toml"
    ev = store.load(EXAMPLES / "调研经费.toml")
    store.save(path, ev)
    os.chmod(path, 0o640)
    store.save(path, ev.model_copy(update={"name": "改名"}))
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert store.load(path).name == "改名"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".git", "a.toml"], "no temporary file is left"


def test_a_failed_save_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "a.toml"
    ev = store.load(EXAMPLES / "调研经费.toml")
    store.save(path, ev)
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.os, "replace", broken_replace)
    with pytest.raises(store.SaveError, match="磁盘空间已满.*原文件未改动"):
        store.save(path, ev.model_copy(update={"name": "新"}))
    assert path.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_save_into_a_folder_without_write_permission_says_why(tmp_path, monkeypatch):
    # chmod cannot stop root (CI runs as root), so the refusal comes from the OS call itself.
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(store, "_temporary", refuse)
    with pytest.raises(store.SaveError, match="没有权限"):
        store.save(tmp_path / "a.toml", Evaluation())
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "text, words",
    [
        ('schema_version = 1\nname = "a\n', ["第 2 行"]),
        ("schema_version = 1\nname = \"a\"\nyear = \"二〇二四\"\n", ["year"]),
        ("schema_version = 1\nnmae = \"a\"\n", ["nmae", "不认识"]),
        ('schema_version = 1\n[[indicators]]\nweight = true\n', ["indicators[1].weight"]),
        ('schema_version = 1\n[budget.total]\ninitial = "很多"\n', ["budget.total.initial", "不是数字"]),
        ('schema_version = "1"\n', ["schema_version"]),
    ],
)
def test_bad_files_name_the_line_or_field(tmp_path, text, words):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(store.LoadError) as info:
        store.load(path)
    message = str(info.value)
    assert str(path) in message and "\n" not in message
    for word in words:
        assert word in message


def test_not_utf8_and_missing_files_are_reported(tmp_path):
    (tmp_path / "gbk.toml").write_bytes('name = "调研"'.encode("gbk"))
    with pytest.raises(store.LoadError, match="UTF-8"):
        store.load(tmp_path / "gbk.toml")
    with pytest.raises(store.LoadError, match="不存在"):
        store.load(tmp_path / "none.toml")


def test_a_newer_schema_is_read_only(tmp_path):
    text = store.dumps(store.load(EXAMPLES / "调研经费.toml"))
    text = text.replace("schema_version = 1", f"schema_version = {SCHEMA_VERSION + 1}", 1)
    text = text.replace('name = "调研经费"\n', 'name = "调研经费"\nreviewer = "新版本的字段"\n', 1)
    path = tmp_path / "new.toml"
    path.write_text(text, encoding="utf-8")
    before = path.read_bytes()
    ev = store.load(path)
    assert ev.read_only and ev.name == "调研经费"
    with pytest.raises(store.SaveError, match="只读"):
        store.save(path, ev)
    assert path.read_bytes() == before


def test_find_walks_folders_in_name_order_and_skips_hidden(tmp_path):
    (tmp_path / "b.toml").write_text("")
    (tmp_path / "a.toml").write_text("")
    (tmp_path / ".hidden.toml").write_text("")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.toml").write_text("")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "d.toml").write_text("")
    (tmp_path / "notes.txt").write_text("")
    assert [p.relative_to(tmp_path).as_posix() for p in files.find([tmp_path])] == ["a.toml", "b.toml", "sub/c.toml"]


@pytest.mark.parametrize(
    "name, expected",
    [
        ("调研经费", "调研经费.toml"),
        ("a/b\\c", "a_b_c.toml"),
        ("..secret", "secret.toml"),
        ("", "未命名.toml"),
        ("[/bold]危险[red]名称[/", "[_bold]危险[red]名称[_.toml"),
    ],
)
def test_file_names_never_hold_a_separator_or_start_with_a_dot(name, expected):
    assert files.file_name_for(name) == expected


@pytest.mark.parametrize(("name", "file", "words"), [
    ("调研经费", "调研经费.toml", None),
    ("调研/考察", "调研_考察.toml", ["/", "换成了 _"]),
    (".隐藏", "隐藏.toml", ["开头的 ."]),
    ("evaltui", "evaltui_.toml", ["设置文件"]),
    ("调研经费", "调研经费 (2).toml", ["已有文件 调研经费.toml", "编号"]),
    ("长" * 90, "长" * 60 + ".toml", ["太长"]),
])
def test_a_file_name_that_is_not_the_name_says_why(name, file, words):
    if words is not None:
        assert files.planned_names([name], {f"{name}.toml"} if "(2)" in file else set()) == [file]
    said = files.name_changes(name, file)
    if words is None:
        assert said == ""
    else:
        assert said and "\n" not in said and all(word in said for word in words), said


def test_each_real_save_is_a_version_and_the_repository_is_not_listed(tmp_path):
    from evaltui import versions

    path = tmp_path / "a.toml"
    ev = store.load(EXAMPLES / "调研经费.toml")
    store.save(path, ev)
    for i in range(15):
        store.save(path, ev.model_copy(update={"name": f"版本{i}"}))
    kept = versions.history(path)
    assert len(kept) == 16, "every version is kept, none dropped"
    assert store.loads(kept[0].data.decode()).name == "版本14"
    assert list(files.find([tmp_path])) == [path], "the repository is not listed as evaluations"
    assert not (tmp_path / ".evaltui-history").exists(), "the old history folder is no longer written"


def test_new_fields_round_trip_and_raise_the_schema_only_when_used():
    from evaltui.model import BudgetLine, Note

    plain = Evaluation(name="甲", indicators=(Indicator(name="a"),))
    assert store.dumps(plain).startswith("schema_version = 1\n")
    assert "applicable" not in store.dumps(plain)
    rich = plain.model_copy(update={
        "budget_extra": (BudgetLine(label="单位资金", initial=Decimal("1.5")),),
        "notes": (Note(label="评价结论", text="良好\n继续"),),
        "indicators": (Indicator(name="a", applicable=False),),
    })
    text = store.dumps(rich)
    assert text.startswith("schema_version = 2\n")
    assert "applicable = false" in text
    assert store.loads(text) == rich


def test_a_save_into_a_missing_folder_says_why_in_chinese(tmp_path):
    with pytest.raises(store.SaveError) as caught:
        store.save(tmp_path / "nope" / "a.toml", Evaluation())
    assert "文件或文件夹不存在" in str(caught.value) and "No such file" not in str(caught.value)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "文件是空的"),
        ("\n  \n", "文件是空的"),
        ("# 只有注释\n", "没有自评表的内容"),
        ("schema_version = 2\n", "没有自评表的内容"),
    ],
)
def test_a_file_with_nothing_of_an_evaluation_is_unreadable_not_a_blank_form(tmp_path, text, reason):
    """An empty .toml was read as an evaluation of 0.00 差: it is unreadable, with the reason."""
    path = tmp_path / "空.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(store.LoadError, match=reason):
        store.load(path)
    assert store.loads('schema_version = 2\nname = ""\n').name == ""  # a blank form saved by evaltui still reads


def test_every_field_that_does_not_fit_is_named_in_one_line(tmp_path):
    """Only the first of several fields that do not fit was named."""
    path = tmp_path / "bad.toml"
    path.write_text('name = 1\nyear = "二〇二四"\n', encoding="utf-8")
    with pytest.raises(store.LoadError) as info:
        store.load(path)
    assert "字段 name：应为文字" in info.value.message and "字段 year：应为整数" in info.value.message
    assert "\n" not in str(info.value)
    path.write_text('name = 1\nyear = "x"\nfoo = 2\n[[indicators]]\nweight = true\nbar = 1\n', encoding="utf-8")
    with pytest.raises(store.LoadError) as info:
        store.load(path)
    message = info.value.message
    assert message.count("字段 ") == store.SHOWN_FIELD_ERRORS and message.endswith("等 5 处")
    assert "\n" not in message


def test_names_that_clash_are_told_apart_by_the_file():
    assert files.clashing(["甲", "乙", "甲", "丙", "乙"]) == {"甲", "乙"}
    assert files.told_apart("调研经费", "调研经费 (2).toml") == "调研经费 (2).toml"
    assert files.told_apart("调研经费", "a.toml") == "调研经费（a.toml）"
    assert files.told_apart("", "a.toml") == "（未命名）（a.toml）"


def test_cut_middle_keeps_both_ends_within_the_width():
    from rich.cells import cell_len

    from evaltui.widgets.text import cut_middle

    assert cut_middle("调研经费.toml", 40) == "调研经费.toml"
    cut = cut_middle("一" * 30 + "（副本）.toml", 20)
    assert cell_len(cut) <= 20 and cut.startswith("一") and cut.endswith(".toml") and "…" in cut


def test_blank_values_are_left_out_of_the_file_as_the_readme_says():
    """Saved files held ``leader = ""``, ``reason = ""`` and empty ``[budget.carryover]``
    tables, though the README says blanks are left out (new-user pass)."""
    ev = store.load(EXAMPLES / "调研经费.toml")
    text = store.dumps(ev)
    assert ' = ""\n' not in text and "[budget.carryover]" not in text and "[budget.other]" not in text
    assert "\n[budget.total]\n" in text and "\n[budget.appropriation]\n" in text
    assert store.loads(text) == ev
    for path in sorted(EXAMPLES.glob("*.toml")):
        assert ' = ""\n' not in path.read_text(encoding="utf-8"), path.name


def test_the_names_are_written_even_blank_so_a_blank_form_and_a_blank_row_stay_what_they_are():
    blank = Evaluation()
    text = store.dumps(blank)
    assert text == 'schema_version = 1\nname = ""\n'
    assert store.loads(text) == blank  # still an evaluation, not "文件中没有自评表的内容"
    rows = Evaluation(name="x", indicators=(Indicator(), Indicator(name="甲", level1="产出指标")))
    text = store.dumps(rows)
    assert text.count("[[indicators]]") == 2 and '[[indicators]]\nname = ""\n' in text  # a table each, not inline
    assert "goals" not in text and "budget" not in text
    assert store.loads(text) == rows


def test_the_readme_names_the_schema_above_which_files_are_read_only():
    """The README said files above schema 1 were read-only, but 2 is this version's own schema
    (new-user pass): a user took a schema 2 file saved as 1 for a downgrade."""
    from conftest import ROOT

    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert f"(`schema_version` above {SCHEMA_VERSION}) is shown read-only" in readme
