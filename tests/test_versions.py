"""Every save a version in git: who, when, what changed; nothing else of the repository touched."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from decimal import Decimal

import pytest
from conftest import EXAMPLES

from evaltui import store, trail, versions
from evaltui.cli import main
from evaltui.model import Evaluation


def git(folder, *args, check=True):
    done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True)
    if check:
        assert done.returncode == 0, done.stderr
    return done


def log(folder) -> list[str]:
    return git(folder, "log", "--format=%ae %s").stdout.splitlines()


def example() -> Evaluation:
    return store.load(EXAMPLES / "调研经费.toml")


def scored(ev: Evaluation, score) -> Evaluation:
    first = ev.indicators[0].model_copy(update={"score": Decimal(score)})
    return ev.model_copy(update={"indicators": (first, *ev.indicators[1:])})


@pytest.fixture
def alice(monkeypatch):
    monkeypatch.setenv("LOGNAME", "alice")
    return f"alice@{socket.gethostname()}"


def test_ten_saves_without_a_change_add_no_version(tmp_path, alice):
    path = tmp_path / "a.toml"
    ev = example()
    assert store.save(path, ev) is not None
    for _ in range(10):
        assert store.save(path, ev) is None
    assert len(versions.history(path)) == 1
    assert log(tmp_path) == [f"{alice} 保存 a.toml"]


def test_a_version_per_real_save_with_its_author(tmp_path, alice, monkeypatch):
    path = tmp_path / "a.toml"
    ev = example()
    store.save(path, ev)
    store.save(path, scored(ev, 3))
    monkeypatch.setenv("LOGNAME", "bob")
    store.save(path, scored(ev, 4))
    found = versions.history(path)
    assert [v.who for v in found] == [f"bob@{socket.gethostname()}", alice, alice]
    assert store.loads(found[0].data.decode()) == scored(ev, 4)
    assert git(tmp_path, "log", "-1", "--format=%an|%ae").stdout.strip() == f"bob|bob@{socket.gethostname()}"
    assert git(tmp_path, "status", "--porcelain").stdout == "", "index and work tree agree with the last version"
    git(tmp_path, "fsck", "--strict")


def test_a_failed_save_adds_no_version(tmp_path, monkeypatch):
    path = tmp_path / "a.toml"
    ev = example()
    store.save(path, ev)

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.os, "replace", broken_replace)
    for i in range(10):
        with pytest.raises(store.SaveError, match="原文件未改动"):
            store.save(path, scored(ev, i))
    monkeypatch.undo()
    assert len(versions.history(path)) == 1
    assert len(log(tmp_path)) == 1


def test_a_save_touches_only_its_file_in_a_users_repository(tmp_path):
    git(tmp_path, "init", "-q", "-b", "trunk")
    (tmp_path / "notes.txt").write_text("one\n")
    (tmp_path / "staged.txt").write_text("staged\n")
    git(tmp_path, "add", "notes.txt")
    git(tmp_path, "-c", "user.name=U", "-c", "user.email=u@x", "commit", "-q", "-m", "user's own")
    (tmp_path / "notes.txt").write_text("one\ntwo, not committed\n")
    git(tmp_path, "add", "staged.txt")
    folder = tmp_path / "forms"
    folder.mkdir()
    store.save(folder / "a.toml", example())
    assert not (folder / ".git").exists(), "the enclosing repository is used"
    status = git(tmp_path, "status", "--porcelain").stdout.splitlines()
    assert sorted(status) == [" M notes.txt", "A  staged.txt"], "the user's staged and unstaged work is as it was"
    assert git(tmp_path, "show", "--stat", "--format=%s", "HEAD").stdout.split("\n")[0] == "保存 forms/a.toml"
    assert git(tmp_path, "diff-tree", "--no-commit-id", "--name-only", "-r", "HEAD").stdout.split() == ["forms/a.toml"]
    assert git(tmp_path, "rev-parse", "--abbrev-ref", "HEAD").stdout.strip() == "trunk"


def test_history_lists_the_versions_with_their_changes(tmp_path, alice, capsys):
    path = tmp_path / "a.toml"
    ev = example()
    store.save(path, ev)
    store.save(path, scored(ev, 3))
    store.save(path, scored(ev, 3).model_copy(update={"leader": "张三"}))
    assert main(["history", str(path)]) == 0
    blocks = capsys.readouterr().out.split("\n\n")
    assert len(blocks) == 3
    name = ev.indicators[0].name
    old = ev.indicators[0].score
    assert alice in blocks[0] and "项目负责人：（空） → 张三" in blocks[0]
    assert f"指标 1「{name}」得分：{old} → 3" in blocks[1]
    assert "新建：调研经费" in blocks[2]
    assert blocks[0].split()[0] >= blocks[2].split()[0], "newest first"


def test_history_of_a_file_without_versions_says_so(tmp_path, capsys):
    path = tmp_path / "a.toml"
    path.write_text(store.dumps(example()), encoding="utf-8")
    assert main(["history", str(path)]) == 0
    assert "还没有保存过的版本" in capsys.readouterr().err
    assert main(["history", str(tmp_path / "none.toml")]) == 2


def test_a_change_made_outside_evaltui_is_kept_as_its_own_version(tmp_path):
    path = tmp_path / "a.toml"
    ev = example()
    store.save(path, ev)
    path.write_text(store.dumps(ev.model_copy(update={"leader": "同事"})), encoding="utf-8")
    store.save(path, scored(ev, 1))
    found = versions.history(path)
    assert [store.loads(v.data.decode()).leader for v in found] == ["", "同事", ""]
    assert "evaltui 之外" in found[1].message


def test_a_file_that_was_there_before_the_repository_is_its_first_version(tmp_path):
    path = tmp_path / "a.toml"
    ev = example()
    path.write_text(store.dumps(ev), encoding="utf-8")
    store.save(path, scored(ev, 1))
    found = versions.history(path)
    assert len(found) == 2 and store.loads(found[1].data.decode()) == ev


def test_the_old_history_folder_is_migrated_once_in_order_and_left_alone(tmp_path):
    path = tmp_path / "a.toml"
    ev = example()
    old = tmp_path / ".evaltui-history" / "a.toml"
    old.mkdir(parents=True)
    for i, stamp in enumerate(["20250101T090000.000001", "20250102T090000.000001", "20250103T090000.000001"]):
        (old / f"{stamp}.toml").write_text(store.dumps(scored(ev, i)), encoding="utf-8")
    path.write_text(store.dumps(scored(ev, 5)), encoding="utf-8")
    before = sorted((p.name, p.read_bytes()) for p in old.iterdir())
    store.save(path, scored(ev, 6))
    store.save(path, scored(ev, 7))
    scores = [store.loads(v.data.decode()).indicators[0].score for v in versions.history(path)]
    assert scores == [7, 6, 5, 2, 1, 0]
    assert versions.history(path)[-1].when.date().isoformat() == "2025-01-01"
    assert sorted((p.name, p.read_bytes()) for p in old.iterdir()) == before, "the old folder is left as it was"


def test_the_symlink_attack_on_the_old_history_folder_touches_nothing_outside(tmp_path):
    folder, outside = tmp_path / "forms", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    for i in range(15):
        (outside / f"{i:02}.toml").write_text(f"秘密 {i}\n", encoding="utf-8")
    (outside / "keep.txt").write_text("x")
    before = sorted((p.name, p.read_bytes()) for p in outside.iterdir())
    (folder / ".evaltui-history").mkdir()
    (folder / ".evaltui-history" / "x.toml").symlink_to(outside, target_is_directory=True)
    path = folder / "x.toml"
    ev = example()
    for i in range(12):
        store.save(path, scored(ev, i))
    assert sorted((p.name, p.read_bytes()) for p in outside.iterdir()) == before
    assert all(b"\xe7\xa7\x98\xe5\xaf\x86" not in v.data for v in versions.history(path)), "nothing was read from outside"
    assert len(versions.history(path)) == 12


def test_a_symlinked_copy_in_the_old_history_is_not_read(tmp_path):
    secret = tmp_path / "secret.toml"
    secret.write_text(store.dumps(example().model_copy(update={"name": "机密"})), encoding="utf-8")
    folder = tmp_path / "forms"
    (folder / ".evaltui-history" / "a.toml").mkdir(parents=True)
    (folder / ".evaltui-history" / "a.toml" / "20250101T090000.000001.toml").symlink_to(secret)
    store.save(folder / "a.toml", example())
    assert [store.loads(v.data.decode()).name for v in versions.history(folder / "a.toml")] == ["调研经费"]


def test_a_version_that_cannot_be_recorded_is_said_after_the_file_is_saved(tmp_path, monkeypatch):
    path = tmp_path / "a.toml"

    def refuse(*args, **kwargs):
        raise versions.VersionError("版本库不可写")

    monkeypatch.setattr(versions, "record", refuse)
    with pytest.raises(store.NotVersioned, match="文件已保存"):
        store.save(path, example())
    assert store.load(path) == example()


def test_a_group_writable_folder_gets_a_group_shared_repository(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    os.chmod(folder, 0o2775)
    store.save(folder / "a.toml", example())
    assert git(folder, "config", "core.sharedRepository").stdout.strip() in ("group", "1")
    store.save(folder / "a.toml", scored(example(), 1))
    made = [p for p in (folder / ".git").rglob("*") if p.is_dir() or p.parent.name in ("heads", "logs") or p.name == "index"]
    assert len(made) > 10 and [p for p in made if p.stat().st_mode & (0o070 if p.is_dir() else 0o060) != (0o070 if p.is_dir() else 0o060)] == [], "every folder and ref is group-writable"


SAVER = """
import sys
from decimal import Decimal
from pathlib import Path
sys.path.insert(0, {src!r})
from evaltui import store
path = Path(sys.argv[1])
ev = store.load(path)
print("ready", flush=True)
sys.stdin.readline()
for i in range(200):
    first = ev.indicators[0].model_copy(update={{"reason": f"{{sys.argv[2]}} {{i}}"}})
    assert store.save(path, ev.model_copy(update={{"indicators": (first, *ev.indicators[1:])}})) is not None
"""


def test_two_processes_saving_at_once_all_land(tmp_path):
    from conftest import ROOT

    ev = example()
    for name in ("a", "b"):
        store.save(tmp_path / f"{name}.toml", ev.model_copy(update={"name": name}))
    script = SAVER.format(src=str(ROOT / "src"))
    procs = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path / f"{n}.toml"), n], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True) for n in ("a", "b")]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        assert p.wait(timeout=300) == 0
    assert len(log(tmp_path)) == 2 + 400
    assert len(versions.history(tmp_path / "a.toml")) == 201
    assert len(versions.history(tmp_path / "b.toml")) == 201
    git(tmp_path, "fsck", "--strict")
    assert git(tmp_path, "status", "--porcelain").stdout == ""


def test_history_block_shows_time_and_who(tmp_path, alice):
    path = tmp_path / "a.toml"
    store.save(path, example())
    lines = trail.block(versions.history(path)[0])
    assert alice in lines[0] and lines[1].startswith("  ")


def test_a_new_repository_goes_to_the_folder_holding_the_settings(tmp_path):
    (tmp_path / "evaltui.toml").write_text("[rules]\nexecution_weight = 10\n", encoding="utf-8")
    (tmp_path / "区教委").mkdir()
    store.save(tmp_path / "区教委" / "a.toml", example())
    store.save(tmp_path / "b.toml", example())
    assert (tmp_path / ".git").is_dir() and not (tmp_path / "区教委" / ".git").exists()
    assert sorted(git(tmp_path, "-c", "core.quotePath=false", "ls-tree", "-r", "--name-only", "HEAD").stdout.split()) == ["b.toml", "区教委/a.toml"]


def test_the_app_s_first_save_in_a_subfolder_makes_one_repository_at_the_folder_opened(tmp_path):
    from evaltui import folder as folder_module
    from evaltui.session import Session

    (tmp_path / "区教委").mkdir()
    store.write_atomic(tmp_path / "区教委" / "a.toml", store.dumps(example()).encode("utf-8"))
    store.write_atomic(tmp_path / "b.toml", store.dumps(example()).encode("utf-8"))
    opened = folder_module.Folder(tmp_path)
    for path in (tmp_path / "区教委" / "a.toml", tmp_path / "b.toml"):
        opened.take(path, Session.read(path))
    for path in (tmp_path / "区教委" / "a.toml", tmp_path / "b.toml"):  # the subfolder's file first
        session = opened.sessions[path]
        assert isinstance(opened.editable(session), folder_module.Ok)
        session.current = scored(session.current, "1")
        assert isinstance(opened.save(session), folder_module.Saved)
    assert (tmp_path / ".git").is_dir() and not (tmp_path / "区教委" / ".git").exists()
    assert "区教委/a.toml" in git(tmp_path, "-c", "core.quotePath=false", "ls-tree", "-r", "--name-only", "HEAD").stdout


def test_a_folder_without_forms_of_its_own_does_not_become_a_repository(tmp_path):
    from evaltui import folder as folder_module
    from evaltui.session import Session

    (tmp_path / "区教委").mkdir()
    path = tmp_path / "区教委" / "a.toml"
    store.write_atomic(path, store.dumps(example()).encode("utf-8"))
    opened = folder_module.Folder(tmp_path)
    session = Session.read(path)
    opened.take(path, session)
    assert isinstance(opened.editable(session), folder_module.Ok)
    session.current = scored(session.current, "1")
    assert isinstance(opened.save(session), folder_module.Saved)
    assert (tmp_path / "区教委" / ".git").is_dir() and not (tmp_path / ".git").exists()


def _own_files_beside(folder) -> list[str]:
    """The lock, recovery and temporary files evaltui leaves beside an evaluation while it is open."""
    from evaltui import locks, recovery

    names = [locks.lock_path(folder / "a.toml"), recovery.path_for(folder / "a.toml"), folder / ".a.toml.0a1b2c3d.42.beef.tmp"]
    for path in names:
        path.write_text("x", encoding="utf-8")
    return [path.name for path in names]


def test_a_new_repository_shows_no_lock_recovery_or_temporary_file_as_untracked(tmp_path):
    store.save(tmp_path / "a.toml", example())
    _own_files_beside(tmp_path)
    (tmp_path / "notes.txt").write_text("the user's own file\n")
    assert git(tmp_path, "status", "--porcelain", "--untracked-files=all").stdout.splitlines() == ["?? notes.txt"]
    exclude = (tmp_path / ".git" / "info" / "exclude").read_text(encoding="utf-8").splitlines()
    assert all(exclude.count(pattern) == 1 for pattern in versions.OWN_FILES)


def test_a_repository_made_before_gets_the_same_excludes_once_keeping_the_users_own(tmp_path, monkeypatch):
    git(tmp_path, "init", "-q", "-b", "main")
    exclude = tmp_path / ".git" / "info" / "exclude"
    exclude.write_text("# mine\n*.bak", encoding="utf-8")  # the user's line, without a last line feed
    store.save(tmp_path / "a.toml", example())
    names = _own_files_beside(tmp_path)
    assert git(tmp_path, "status", "--porcelain", "--untracked-files=all").stdout.strip() == "", names
    monkeypatch.setattr(versions, "_ignoring", set())  # another process, later
    versions.prepare(tmp_path)
    lines = exclude.read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["# mine", "*.bak"] and all(lines.count(pattern) == 1 for pattern in versions.OWN_FILES), lines
