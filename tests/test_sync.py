"""Two offices, one shared repository: sync takes the other side's versions and sends its own."""

from __future__ import annotations

import subprocess
from decimal import Decimal

import pytest
from conftest import EXAMPLES

from evaltui import files, store, sync, versions
from evaltui.cli import main
from evaltui.model import Evaluation


def git(folder, *args):
    done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def example(name: str) -> Evaluation:
    return store.load(EXAMPLES / "调研经费.toml").model_copy(update={"name": name})


def scored(ev: Evaluation, score) -> Evaluation:
    first = ev.indicators[0].model_copy(update={"score": Decimal(score)})
    return ev.model_copy(update={"indicators": (first, *ev.indicators[1:])})


@pytest.fixture
def offices(tmp_path, monkeypatch):
    """A bare remote with a.toml and b.toml, cloned into unit/ and bureau/."""
    bare = tmp_path / "shared.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    unit = tmp_path / "unit"
    unit.mkdir()
    monkeypatch.setenv("LOGNAME", "unit")
    store.save(unit / "a.toml", example("甲"))
    store.save(unit / "b.toml", example("乙"))
    git(unit, "remote", "add", "origin", str(bare))
    assert main(["sync", str(unit)]) == 0
    git(tmp_path, "clone", "-q", str(bare), "bureau")
    return unit, tmp_path / "bureau", monkeypatch


def test_different_evaluations_changed_on_each_side_both_arrive(offices, capsys):
    unit, bureau, env = offices
    env.setenv("LOGNAME", "unit")
    store.save(unit / "a.toml", scored(example("甲"), 1))
    env.setenv("LOGNAME", "bureau")
    store.save(bureau / "b.toml", scored(example("乙"), 2))
    capsys.readouterr()
    assert main(["sync", str(unit)]) == 0
    assert "发出 a.toml" in capsys.readouterr().out
    assert main(["sync", str(bureau)]) == 0
    out = capsys.readouterr().out
    assert "收到 a.toml" in out and "发出 b.toml" in out
    assert main(["sync", str(unit)]) == 0
    assert "收到 b.toml" in capsys.readouterr().out
    for side in (unit, bureau):
        assert store.load(side / "a.toml").indicators[0].score == 1
        assert store.load(side / "b.toml").indicators[0].score == 2
        assert git(side, "status", "--porcelain") == ""
        git(side, "fsck", "--strict")
    assert [v.who.split("@")[0] for v in versions.history(unit / "b.toml")][:1] == ["bureau"], "the author travels"


def test_different_fields_of_one_evaluation_are_both_kept(offices, capsys):
    unit, bureau, env = offices
    store.save(unit / "a.toml", scored(example("甲"), 1))
    store.save(bureau / "a.toml", example("甲").model_copy(update={"leader": "张三"}))
    assert main(["sync", str(unit)]) == 0
    assert main(["sync", str(bureau)]) == 0
    assert "合并 a.toml" in capsys.readouterr().out
    assert main(["sync", str(unit)]) == 0
    for side in (unit, bureau):
        ev = store.load(side / "a.toml")
        assert ev.indicators[0].score == 1 and ev.leader == "张三"


def test_the_same_field_changed_on_both_sides_gives_a_conflict_copy(offices, capsys):
    unit, bureau, env = offices
    env.setenv("LOGNAME", "unit")
    store.save(unit / "a.toml", scored(example("甲"), 1))
    assert main(["sync", str(unit)]) == 0
    env.setenv("LOGNAME", "bureau")
    store.save(bureau / "a.toml", scored(example("甲"), 7).model_copy(update={"phone": "123"}))
    capsys.readouterr()
    assert main(["sync", str(bureau)]) == 1
    err = capsys.readouterr().err
    host = versions.author().email.split("@")[1]
    copy = bureau / f"a（冲突 unit@{host}）.toml"
    assert copy.name in err and "冲突" in err
    assert "指标 1·得分" in err and "indicators" not in err, "the field named as on the form"
    assert store.load(bureau / "a.toml").indicators[0].score == 7, "this side keeps its value"
    assert store.load(bureau / "a.toml").phone == "123"
    assert store.load(copy).indicators[0].score == 1, "the other side's value is on disk too"
    assert main(["sync", str(unit)]) == 0
    assert store.load(unit / "a.toml").indicators[0].score == 7
    assert not (unit / copy.name).exists(), "the copy (unit's own version) stays where the conflict was found"
    assert any(store.loads(v.data.decode()).indicators[0].score == 1 for v in versions.history(unit / "a.toml")), \
        "nothing is lost on either side: unit's value is one of a.toml's versions"


def test_a_conflict_copy_is_not_sent_nor_counted_as_an_evaluation(offices, capsys):
    """The copy is the other side's version beside the evaluation: on disk here only, not
    committed, not recorded at the next sync, not listed by check or summary (one form, once)."""
    unit, bureau, env = offices
    store.save(unit / "a.toml", scored(example("甲"), 1))
    assert main(["sync", str(unit)]) == 0
    store.save(bureau / "a.toml", scored(example("甲"), 7))
    assert main(["sync", str(bureau)]) == 1
    copies = list(bureau.glob("a（冲突 *）.toml"))
    assert len(copies) == 1
    assert "a.toml" in git(bureau, "ls-files") and copies[0].name not in git(bureau, "ls-files")
    capsys.readouterr()
    assert main(["sync", str(bureau)]) == 0, "the copy is not recorded as a change at the next sync"
    assert copies[0].name not in git(bureau, "ls-files")
    assert main(["sync", str(unit)]) == 0
    assert not list(unit.glob("*冲突*")), "not sent"
    assert [p.name for p in files.find([bureau])] == ["a.toml", "b.toml"], "the folder's evaluations: the copy is not one"
    table = bureau.parent / "汇总.csv"
    assert main(["summary", str(bureau), "-o", str(table)]) in (0, 1)
    rows = table.read_text(encoding="utf-8-sig").splitlines()[1:]
    assert len(rows) == 2 and not any("冲突" in row for row in rows), rows
    assert [p.name for p in files.find([copies[0]])] == [copies[0].name], "named, the copy is read like any evaluation"


def test_a_conflict_copy_opened_by_name_and_saved_stays_unsent(offices, capsys):
    """Named, the copy opens and saves like any evaluation (the app saves it with store.save):
    the file is written, but it is no version, so sync never sends it."""
    unit, bureau, env = offices
    store.save(unit / "a.toml", scored(example("甲"), 1))
    assert main(["sync", str(unit)]) == 0
    store.save(bureau / "a.toml", scored(example("甲"), 7))
    assert main(["sync", str(bureau)]) == 1
    [copy] = bureau.glob("a（冲突 *）.toml")
    assert store.save(copy, scored(store.load(copy), 3)) is None, "no version of a conflict copy"
    assert store.load(copy).indicators[0].score == 3, "the save itself is written"
    assert copy.name not in git(bureau, "ls-files")
    assert versions.record_on_disk(copy) is None
    capsys.readouterr()
    assert main(["sync", str(bureau)]) == 0
    assert copy.name not in capsys.readouterr().out
    assert main(["sync", str(unit)]) == 0
    assert not list(unit.glob("*冲突*")), "not sent"


def test_a_file_changed_outside_evaltui_is_recorded_then_sent(offices, capsys):
    unit, bureau, env = offices
    (unit / "a.toml").write_text(store.dumps(example("甲").model_copy(update={"leader": "手改"})), encoding="utf-8")
    (unit / "c.toml").write_text(store.dumps(example("丙")), encoding="utf-8")
    assert main(["sync", str(unit)]) == 0
    assert main(["sync", str(bureau)]) == 0
    assert store.load(bureau / "a.toml").leader == "手改"
    assert store.load(bureau / "c.toml").name == "丙"


def test_sync_without_a_remote_or_repository_says_so(tmp_path, capsys):
    assert main(["sync", str(tmp_path)]) == 2
    assert "版本库" in capsys.readouterr().err
    store.save(tmp_path / "a.toml", example("甲"))
    assert main(["sync", str(tmp_path)]) == 2
    assert "远端" in capsys.readouterr().err


def test_an_unreachable_remote_is_one_line_and_exit_1(tmp_path, capsys):
    store.save(tmp_path / "a.toml", example("甲"))
    git(tmp_path, "remote", "add", "origin", str(tmp_path / "nowhere.git"))
    assert main(["sync", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "远端" in err
    # git's first line says what is wrong; its last is advice (and the repository exists.)
    assert err.startswith("远端 origin 不存在或无法访问：") and "nowhere.git" in err and "does not appear" in err, err
    assert "repository exists" not in err and "fatal:" not in err, err


def test_merge3_keeps_ours_on_a_clash_and_takes_theirs_elsewhere():
    merged, clashes = sync.merge3({"a": 1, "b": [1, 2]}, {"a": 2, "b": [1, 2]}, {"a": 3, "b": [1, 5]})
    assert merged == {"a": 2, "b": [1, 5]} and clashes == [("a",)]


def test_rows_moved_on_one_side_and_edited_on_the_other_are_a_clash_not_a_mix_up():
    """Rows are paired by position: with the rows moved here and one edited there, the edit was
    laid onto the other row, and no clash was reported. sync now merges with the one three-way
    merge the reload uses (merge.py), which sees moved rows: the list is a clash, ours is kept
    (the other side's version goes to the conflict copy)."""
    base = {"name": "甲", "indicators": [{"name": "一"}, {"name": "二"}]}
    ours = {"name": "甲", "indicators": [{"name": "二"}, {"name": "一"}]}
    theirs = {"name": "乙", "indicators": [{"name": "一"}, {"name": "二", "score": 8}]}
    merged, clashes = sync.merge3(base, ours, theirs)
    assert merged == {"name": "乙", "indicators": [{"name": "二"}, {"name": "一"}]}
    assert clashes == [("indicators",)]


def test_sync_over_ssh_with_a_bare_repository_on_the_server(tmp_path, sshd, monkeypatch, capsys):
    """The case of the bureau's server: the shared copy is a bare repository reached over ssh."""
    ssh = sshd.replace("ssh -tt", "ssh -o BatchMode=yes").rsplit(" ", 1)[0]
    monkeypatch.setenv("GIT_SSH_COMMAND", ssh)
    bare = tmp_path / "server" / "evaluations.git"
    bare.parent.mkdir()
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    url = f"ssh://127.0.0.1{bare}"
    unit = tmp_path / "unit"
    unit.mkdir()
    store.save(unit / "a.toml", example("甲"))
    git(unit, "remote", "add", "origin", url)
    assert main(["sync", str(unit)]) == 0, capsys.readouterr().err
    git(tmp_path, "clone", "-q", url, "bureau")
    bureau = tmp_path / "bureau"
    store.save(bureau / "a.toml", scored(example("甲"), 3))
    store.save(unit / "b.toml", example("乙"))
    assert main(["sync", str(bureau)]) == 0
    assert main(["sync", str(unit)]) == 0
    assert main(["sync", str(bureau)]) == 0
    for side in (unit, bureau):
        assert store.load(side / "a.toml").indicators[0].score == 3
        assert store.load(side / "b.toml").name == "乙"


def test_a_file_from_the_remote_is_never_written_through_a_symlink(offices, tmp_path, capsys):
    unit, bureau, env = offices
    outside = tmp_path / "outside"
    outside.mkdir()
    (bureau / "sub").mkdir()
    store.save(bureau / "sub" / "x.toml", example("丙"))
    (bureau / "link.toml").symlink_to(tmp_path / "secret.toml")
    (tmp_path / "secret.toml").write_text("秘密", encoding="utf-8")
    assert main(["sync", str(bureau)]) == 0
    (unit / "sub").symlink_to(outside, target_is_directory=True)
    assert main(["sync", str(unit)]) == 1
    assert "符号链接" in capsys.readouterr().err
    assert list(outside.iterdir()) == [], "nothing written outside the folder"
    assert "link.toml" not in git(bureau, "ls-tree", "-r", "--name-only", "HEAD"), "a symlink is not recorded"


async def test_the_app_says_a_saved_conflict_copy_stays_on_this_machine(tmp_path):
    from app_helpers import running

    folder = tmp_path / "forms"
    folder.mkdir()
    store.save(folder / "a.toml", example("甲"))  # the folder's repository
    copy = folder / "a（冲突 unit@office）.toml"
    copy.write_text(store.dumps(example("甲")), encoding="utf-8")
    async with running(copy, (80, 24)) as (app, pilot):
        assert app.current == copy
        await pilot.press("enter", *["right"] * 6, "enter", "3", "enter", "ctrl+s")
        await app.workers.wait_for_complete()  # the save is written in a worker
        await pilot.pause()
        told = [str(n.message) for n in app._notifications if "已保存" in str(n.message)]
        assert told and "只在本机" in told[-1] and "不同步" in told[-1], told
    assert store.load(copy).indicators[0].score == 3
    assert copy.name not in git(folder, "ls-files")
