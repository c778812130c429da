"""A folder several people share: read-only files, groups and modes, symlinks, leftovers of
killed saves."""

from __future__ import annotations

import io
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
from real_users import User, users  # noqa: F401 - fixture

from evaltui import folder as folder_module
from evaltui import store
from evaltui.model import Evaluation
from evaltui.word import commands

A = Evaluation(name="甲", year=2024)
B = Evaluation(name="乙", year=2024)


# ---------------------------------------------------------------- read-only files

def test_a_file_its_owner_cannot_write_is_never_replaced_without_asking(tmp_path):
    path = tmp_path / "a.toml"
    store.save(path, A)
    path.chmod(0o444)
    before = path.read_bytes()
    assert store.read_only_reason(path) == "文件设为只读（权限 0444）"
    with pytest.raises(store.ReadOnlyFile) as caught:  # even as root, who could write it
        store.save(path, B)
    assert caught.value.mode == 0o444 and "只读" in str(caught.value)
    assert path.read_bytes() == before
    store.save(path, B, replace_read_only=True)  # the person said yes
    assert store.load(path).name == "乙"
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


def test_import_and_export_never_overwrite_a_read_only_file_even_with_force(tmp_path):
    out = tmp_path / "out.docx"
    out.write_bytes(b"old")
    out.chmod(0o444)
    store.save(tmp_path / "a.toml", A)
    err = io.StringIO()
    assert commands.run_export([str(tmp_path / "a.toml")], str(out), force=True, out=io.StringIO(), err=err) == 1
    assert "只读" in err.getvalue() and out.read_bytes() == b"old"


# ---------------------------------------------------------------- groups and modes

def _save(path: Path, ev: Evaluation) -> None:
    """The file part of a save (its git version is another matter: versions.py)."""
    store.write_atomic(path, store.dumps(ev).encode("utf-8"))


def _load_name(path: Path) -> str:
    return store.load(path).name


def test_a_colleague_s_save_keeps_the_group_and_mode(users, tmp_path):
    alice, bob, team = users
    folder = Path(tempfile.mkdtemp(prefix="evaltui-group-"))
    try:
        folder.chmod(0o777)  # not setgid: a new file gets its writer's own group
        bob_alone = User(bob.name, bob.uid, 65534, (65534, team))  # primary group nogroup, in team too
        path = folder / "a.toml"
        alice.call(_save, path, A, umask=0o007)
        os.chown(path, alice.uid, team)
        path.chmod(0o660)
        bob_alone.call(_save, path, B)
        info = path.stat()
        assert (info.st_gid, stat.S_IMODE(info.st_mode)) == (team, 0o660)
        assert alice.call(_load_name, path) == "乙"  # alice still reads her evaluation
        _save(path, A)  # as root: owner kept too
        assert (path.stat().st_uid, path.stat().st_gid) == (bob.uid, team)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_save_that_cannot_keep_the_group_is_refused(users):
    alice, bob, team = users
    folder = Path(tempfile.mkdtemp(prefix="evaltui-group-"))
    try:
        folder.chmod(0o777)
        path = folder / "a.toml"
        _save(path, A)
        os.chown(path, alice.uid, team)
        path.chmod(0o666)  # anyone may write it, but only team shares it as a group
        outsider = User(bob.name, bob.uid, 65534, (65534,))
        with pytest.raises(store.SaveError, match="用户组"):
            outsider.call(_save, path, B)
        assert store.load(path).name == "甲" and path.stat().st_gid == team
        assert [p.name for p in folder.iterdir()] == ["a.toml"]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------- symlinks

def test_a_save_through_a_symlink_writes_its_target_atomically(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    target = real / "a.toml"
    store.save(target, A)
    target.chmod(0o640)
    link = tmp_path / "folder" / "a.toml"
    link.parent.mkdir()
    link.symlink_to(target)
    inode = target.stat().st_ino
    store.save(link, B)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert store.load(target).name == "乙"
    assert target.stat().st_ino != inode  # replaced by rename, not written in place
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert not [p for p in real.iterdir() if p.name.endswith(".tmp")]


def test_nothing_is_written_through_a_symlink_to_a_device(tmp_path):
    link = tmp_path / "a.toml"
    link.symlink_to("/dev/null")
    with pytest.raises(store.SaveError, match="设备文件"):
        store.save(link, A)
    out = tmp_path / "out.docx"
    out.symlink_to("/dev/null")
    store.save(tmp_path / "b.toml", B)
    err = io.StringIO()
    assert commands.run_export([str(tmp_path / "b.toml")], str(out), force=True, out=io.StringIO(), err=err) == 1
    assert "设备文件" in err.getvalue()
    assert out.is_symlink() and os.readlink(out) == "/dev/null"  # not replaced by a world-writable file
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_export_replaces_an_existing_file_only_with_force(tmp_path):
    store.save(tmp_path / "a.toml", A)
    out = tmp_path / "out.docx"
    out.write_bytes(b"keep")
    assert commands.run_export([str(tmp_path / "a.toml")], str(out), out=io.StringIO(), err=io.StringIO()) == 2
    assert out.read_bytes() == b"keep"
    assert commands.run_export([str(tmp_path / "a.toml")], str(out), force=True, out=io.StringIO(), err=io.StringIO()) == 0
    assert out.read_bytes().startswith(b"PK")


# ---------------------------------------------------------------- leftovers of killed saves

KILLED_SAVE = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from evaltui import store
    fd, tmp = store._temporary(Path(sys.argv[1]))
    os.write(fd, b"half a save")
    print(tmp, flush=True)
    time.sleep(60)
""")


def test_a_killed_save_s_temporary_file_goes_when_the_folder_is_opened_again(tmp_path):
    store.save(tmp_path / "a.toml", A)
    saver = subprocess.Popen([sys.executable, "-c", KILLED_SAVE, str(tmp_path / "a.toml")],
                             stdout=subprocess.PIPE, text=True)
    leftover = Path(saver.stdout.readline().strip())
    assert leftover.exists()
    assert folder_module.list_paths(tmp_path, None) == [tmp_path / "a.toml"]
    assert leftover.exists()  # its process is alive: the save may still finish
    saver.send_signal(signal.SIGKILL)
    saver.wait()
    assert folder_module.list_paths(tmp_path, None) == [tmp_path / "a.toml"]
    assert not leftover.exists()  # no ten-minute wait
    assert store.load(tmp_path / "a.toml").name == "甲"


def _opened_read_only(tmp_path):
    """a.toml saved, made read-only (0444), read in the app's folder: (folder, session, path)."""
    from evaltui.session import Session

    path = tmp_path / "a.toml"
    store.save(path, A)
    path.chmod(0o444)
    return folder_module.Folder(tmp_path), Session.read(path), path


def test_the_app_s_folder_opens_a_read_only_file_read_only_with_the_reason(tmp_path):
    opened, session, path = _opened_read_only(tmp_path)
    editable = opened.editable(session)
    assert isinstance(editable, folder_module.ReadOnly) and "0444" in editable.why
    assert not session.locked and not (tmp_path / ".a.toml.lock").exists()
    check = opened.can_save(session)
    assert isinstance(check, folder_module.ReadOnly) and "只读" in check.why


def test_a_read_only_file_chosen_for_editing_is_saved_over_only_when_the_person_said_yes(tmp_path):
    opened, session, path = _opened_read_only(tmp_path)
    assert opened.editable(session).by_mode
    opened.choose_to_edit(session)
    assert isinstance(opened.editable(session), folder_module.Ok) and session.locked
    session.apply(A.model_copy(update={"name": "乙"}))
    check = opened.can_save(session)
    assert isinstance(check, folder_module.ReadOnly) and check.by_mode, "the save still asks"
    refused = opened.save(session)
    assert isinstance(refused, folder_module.Failed) and "只读" in refused.why and session.dirty
    assert store.load(path).name == A.name
    assert isinstance(opened.can_save(session, replace_read_only=True), folder_module.Ok)
    assert isinstance(opened.save(session, replace_read_only=True), folder_module.Saved)
    assert store.load(path).name == "乙" and stat.S_IMODE(path.stat().st_mode) == 0o444
