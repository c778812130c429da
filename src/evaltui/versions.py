"""Every saved version of an evaluation, kept in git: one commit per save, authored user@host.

A save commits only its own file, by plumbing: the new blob, a tree made from the branch's
tree with that one entry changed, a commit, and a compare-and-swap move of the branch (retried
when another saver got there first). The user's work tree is never touched and their index
only at that file's entry, under git's own ``index.lock``. The repository is the one the
folder is in; a folder in none gets its own on the first save (group-shared when the folder
is group-writable). A save that changes nothing makes no version.

pygit2 (libgit2 in-process) does the saves: a save with its commit stays within a few
milliseconds on a 2,000-file folder (benchmarks/versions_speed.py). Exchange with other
machines (sync.py) uses the git command, so the user's ssh setup applies.
"""

from __future__ import annotations

import datetime
import os
import pwd
import random
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pygit2
from pygit2.enums import FileMode, RepositoryInitMode, SortMode

from evaltui import files, locks, store
from evaltui.reasons import os_reason

# evaltui's own files beside the evaluations: locks (locks.py), unsaved edits (recovery.py) and
# temporary files (store.py); the repository's info/exclude lists them so git shows none untracked
OWN_FILES = (".*.lock", ".*.recover", ".*.tmp")
LEGACY_DIR = ".evaltui-history"  # the hard-linked copies older evaltui kept; read once, never written
MAX_BLOB_BYTES = 4 * 1024 * 1024
_RACE_TRIES = 400
_INDEX_TRIES = 400


class VersionError(Exception):
    """No version could be recorded; the message is one line, in Chinese."""


@dataclass(frozen=True)
class Version:
    """One saved version of one file."""

    commit: str
    when: datetime.datetime
    who: str  # user@host
    message: str
    data: bytes  # the file as saved
    before: bytes | None  # the version it replaced; None for the first


# ---------------------------------------------------------------- who

def author(when: datetime.datetime | None = None, user: str | None = None) -> pygit2.Signature:
    """The person saving (user@host), at ``when`` (now by default)."""
    me = locks.me()
    name = user or me.user
    who = f"{name}@{me.host}"
    if when is None:
        return pygit2.Signature(name, who)
    offset = int((when.utcoffset() or datetime.timedelta()).total_seconds() // 60)
    return pygit2.Signature(name, who, int(when.timestamp()), offset)


def who(signature: pygit2.Signature) -> str:
    return signature.email if "@" in signature.email else signature.name


def _owner_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


# ---------------------------------------------------------------- where

@dataclass
class Place:
    """A file's repository and its path inside it (posix, relative to the work tree)."""

    repo: pygit2.Repository
    rel: str


def find(path: Path, *, create: bool = False) -> Place | None:
    """The repository ``path`` is in; None when there is none and ``create`` is false."""
    folder = Path(os.path.abspath(path)).parent
    try:
        found = pygit2.discover_repository(str(folder))
        if found is None:
            if not create:
                return None
            repo = _init(_new_root(folder))
        else:
            repo = pygit2.Repository(found)
    except pygit2.GitError as exc:
        raise VersionError(f"{folder}: 无法打开版本库（{exc}）") from None
    if repo.is_bare or not repo.workdir:
        raise VersionError(f"{folder}: 所在的版本库没有工作目录，无法记录版本")
    ignore_own_files(repo)
    workdir = Path(repo.workdir).resolve()
    try:
        inside = folder.resolve().relative_to(workdir)
    except ValueError:
        raise VersionError(f"{path}: 不在版本库 {workdir} 之内") from None
    return Place(repo, (inside / path.name).as_posix())


def prepare(root: Path) -> None:
    """Make sure the evaluations under ``root`` (the folder the app opened) will share one
    repository: when none holds ``root`` yet, make it there (or at the folder settings above),
    so that a first save in a subfolder does not start a repository of its own."""
    root = Path(os.path.abspath(root))
    try:
        found = pygit2.discover_repository(str(root))
        ignore_own_files(_init(_new_root(root)) if found is None else pygit2.Repository(found))
    except (pygit2.GitError, OSError) as exc:
        raise VersionError(f"{root}: 无法建立版本库（{exc}）") from None


_ignoring: set[str] = set()  # the repositories whose info/exclude was seen to list OWN_FILES


def ignore_own_files(repo: pygit2.Repository) -> None:
    """List :data:`OWN_FILES` in the repository's ``info/exclude`` (local to it, never committed;
    a new repository and one made before this alike), so that ``git status`` in the folder shows
    no lock, recovery or temporary file as untracked. Checked once per repository and process;
    a repository that cannot be written is left as it is."""
    if repo.path in _ignoring:
        return
    exclude = Path(repo.path) / "info" / "exclude"
    try:
        held = exclude.read_text(encoding="utf-8") if exclude.exists() else ""
        missing = [pattern for pattern in OWN_FILES if pattern not in held.splitlines()]
        if missing:
            exclude.parent.mkdir(exist_ok=True)
            added = "# evaltui: its lock, recovery and temporary files\n" + "".join(f"{p}\n" for p in missing)
            store.write_atomic(exclude, (held + ("\n" if held and not held.endswith("\n") else "") + added).encode("utf-8"))
    except (OSError, UnicodeDecodeError, store.SaveError):
        return
    _ignoring.add(repo.path)


def _new_root(folder: Path) -> Path:
    """Where a new repository goes: the nearest folder above holding the folder settings
    (evaltui.toml marks the root of a set of evaluations), else the file's own folder."""
    from evaltui import files

    for candidate in (folder, *folder.parents):
        if (candidate / files.SETTINGS_NAME).is_file():
            return candidate
    return folder


def _init(folder: Path) -> pygit2.Repository:
    shared = bool(os.stat(folder).st_mode & stat.S_IWGRP)
    mode = RepositoryInitMode.SHARED_GROUP if shared else RepositoryInitMode.SHARED_UMASK
    try:
        pygit2.init_repository(str(folder), False, mode=mode, initial_head="main")
    except pygit2.GitError:
        if not (folder / ".git").is_dir():  # not another saver who made it at the same moment
            raise
    repo = pygit2.Repository(str(folder))
    if shared:
        repo.config["core.sharedRepository"] = "group"
        for root, dirs, names in os.walk(repo.path):  # libgit2 leaves some of its folders 2755
            for name in (*dirs, *names):
                _add_group_write(Path(root) / name)
    return repo


def _add_group_write(path: Path) -> None:
    try:
        info = os.lstat(path)
        if stat.S_ISDIR(info.st_mode):
            os.chmod(path, stat.S_IMODE(info.st_mode) | 0o070 | stat.S_ISGID)
        elif stat.S_ISREG(info.st_mode):
            os.chmod(path, stat.S_IMODE(info.st_mode) | 0o060)
    except OSError:
        pass


# ---------------------------------------------------------------- reading

def read_plain(path: Path) -> bytes | None:
    """A regular file's bytes, never through a symlink; None when there is none to read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BLOB_BYTES:
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(MAX_BLOB_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)


def head(repo: pygit2.Repository) -> tuple[str, pygit2.Commit | None]:
    """The ref a save moves (the branch HEAD names, or HEAD when detached) and its commit."""
    ref = repo.references.get("HEAD")
    name = ref.target if ref is not None and ref.type == pygit2.enums.ReferenceType.SYMBOLIC else "HEAD"
    target = repo.references.get(name)
    if target is None:
        return name, None
    commit = repo.get(target.resolve().target)
    return name, commit if isinstance(commit, pygit2.Commit) else None


def blob_id(tree: pygit2.Tree | None, rel: str) -> pygit2.Oid | None:
    if tree is None:
        return None
    try:
        entry = tree[rel]
    except KeyError:
        return None
    return entry.id if entry.type_str == "blob" else None


# ---------------------------------------------------------------- writing

def tree_with(repo: pygit2.Repository, tree: pygit2.Tree | None, rel: str, blob: pygit2.Oid | None) -> pygit2.Oid:
    """``tree`` with the file at ``rel`` set to ``blob`` (removed when None), every other entry kept."""
    parts = rel.split("/")
    builder = repo.TreeBuilder(tree) if tree is not None else repo.TreeBuilder()
    name = parts[0]
    if len(parts) == 1:
        if blob is None:
            if builder.get(name) is not None:
                builder.remove(name)
        else:
            builder.insert(name, blob, FileMode.BLOB)
        return builder.write()
    old = builder.get(name)
    sub = repo.get(old.id) if old is not None and old.type_str == "tree" else None
    new_sub = tree_with(repo, sub, "/".join(parts[1:]), blob)
    if len(repo.get(new_sub)) == 0:
        if old is not None:
            builder.remove(name)
    else:
        builder.insert(name, new_sub, FileMode.TREE)
    return builder.write()


def commit(repo: pygit2.Repository, files: dict[str, bytes], message: str, signature: pygit2.Signature,
           *, other_parent: pygit2.Oid | None = None) -> pygit2.Oid | None:
    """Commit ``files`` (path → bytes) on top of the current branch; None when nothing changed.

    The branch moves only from the commit the new one was built on; when another saver moved
    it first, the commit is built again on theirs.
    """
    with _group_writable(repo):
        return _commit(repo, files, message, signature, other_parent)


@contextmanager
def _group_writable(repo: pygit2.Repository) -> Iterator[None]:
    """In a group-shared repository, what this save creates is group-writable.

    libgit2 does not apply ``core.sharedRepository`` to the object folders, refs and logs it
    creates after ``init`` (git does), so the umask is widened while the commit is written.
    """
    try:
        shared = str(repo.config["core.sharedRepository"]).lower()
    except KeyError:
        shared = ""
    if shared not in ("group", "true", "1", "all", "world", "everybody", "2"):
        yield
        return
    mask = os.umask(0o002)
    os.umask(mask & ~0o070)
    try:
        yield
    finally:
        os.umask(mask)


def _commit(repo: pygit2.Repository, files: dict[str, bytes], message: str, signature: pygit2.Signature,
            other_parent: pygit2.Oid | None) -> pygit2.Oid | None:
    blobs = {rel: repo.create_blob(data) for rel, data in files.items()}
    for _ in range(_RACE_TRIES):
        ref_name, parent = head(repo)
        tree = parent.tree if parent is not None else None
        tree_id = tree.id if tree is not None else None
        for rel, blob in blobs.items():
            tree_id = tree_with(repo, repo.get(tree_id) if tree_id is not None else None, rel, blob)
        if parent is not None and tree_id == parent.tree_id and other_parent is None:
            return None
        parents = [parent.id] if parent is not None else []
        if other_parent is not None:
            parents.append(other_parent)
        new = repo.create_commit(None, signature, signature, message, tree_id, parents)
        if _move(repo, ref_name, parent.id if parent is not None else None, new, message):
            _index_set(repo, blobs)
            return new
        time.sleep(random.uniform(0.0005, 0.005))
    raise VersionError(f"{repo.workdir}: 版本库一直被占用，未能记录版本")


def _move(repo: pygit2.Repository, name: str, old: pygit2.Oid | None, new: pygit2.Oid, message: str) -> bool:
    """Move ref ``name`` from ``old`` to ``new``; False when it is no longer at ``old`` or is locked."""
    first = message.splitlines()[0] if message else "evaltui"
    try:
        if old is None:
            repo.create_reference_direct(name, new, False, message=first)
            return True
        ref = repo.references.get(name)
        if ref is None or ref.target != old:
            return False
        ref.set_target(new, first)  # libgit2 compares with the value just read: a race fails here
        return True
    except (pygit2.GitError, pygit2.AlreadyExistsError, ValueError, OSError):  # OSError: the ref is locked
        return False


def _index_set(repo: pygit2.Repository, blobs: dict[str, pygit2.Oid]) -> None:
    """Set these entries of the user's index (git's lock protocol), every other entry as it was.

    The entries carry no stat data, like ``git update-index --cacheinfo``: git compares the
    file's content the next time it looks. An index that stays locked is left as it is.
    """
    gitdir = Path(repo.path)
    index_path, lock = gitdir / "index", gitdir / "index.lock"
    for _ in range(_INDEX_TRIES):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
            break
        except FileExistsError:
            time.sleep(random.uniform(0.0005, 0.005))
        except OSError:
            return
    else:
        return
    os.close(fd)
    scratch = gitdir / f"index.evaltui-{os.getpid()}-{random.getrandbits(32):08x}"
    try:
        mode = stat.S_IMODE(os.stat(index_path).st_mode) if index_path.exists() else None
        if mode is not None:
            scratch.write_bytes(index_path.read_bytes())
        index = pygit2.Index(str(scratch))
        for rel, blob in blobs.items():
            index.add(pygit2.IndexEntry(rel, blob, FileMode.BLOB))
        index.write()
        if mode is not None:
            os.chmod(scratch, mode)
        os.replace(scratch, index_path)
    except (OSError, pygit2.GitError):
        pass
    finally:
        scratch.unlink(missing_ok=True)
        lock.unlink(missing_ok=True)


# ---------------------------------------------------------------- a save

def record(path: Path, data: bytes, before: bytes | None) -> str | None:
    """After ``data`` was written to ``path``: commit it as the user's version.

    ``before`` is what the file held just before the save. The first time the repository sees
    the file, the copies of the old ``.evaltui-history/`` and ``before`` go in first; a file
    changed outside evaltui since its last version is recorded as such before the save.
    Returns the new commit's id, or None when the save changed nothing, or when ``path`` is a
    conflict copy sync wrote (files.is_conflict_copy): on this machine only, never a version,
    so never sent, even when it was opened by name and saved.
    """
    if files.is_conflict_copy(path.name):
        return None
    place = find(path, create=True)
    repo, rel = place.repo, place.rel
    try:
        _, parent = head(repo)
        known = blob_id(parent.tree if parent else None, rel)
        if known is None:
            _migrate_legacy(repo, rel, Path(os.path.abspath(path)))
            _, parent = head(repo)
            known = blob_id(parent.tree if parent else None, rel)
        if before is not None and (known is None or pygit2.hash(before) != known):
            message = f"记录已有的 {rel}" if known is None else f"记录在 evaltui 之外的改动：{rel}"
            commit(repo, {rel: before}, message, author())
        new = commit(repo, {rel: data}, f"保存 {rel}", author())
    except pygit2.GitError as exc:
        raise VersionError(f"{path}: 未能记录版本（{exc}）") from None
    except OSError as exc:
        raise VersionError(f"{path}: 未能记录版本（{os_reason(exc)}）") from None
    return str(new) if new is not None else None


def record_on_disk(path: Path, message: str | None = None) -> str | None:
    """Record the file as it is on disk now, when it differs from its last version (never a
    conflict copy: see :func:`record`)."""
    if files.is_conflict_copy(path.name):
        return None
    data = read_plain(path)
    if data is None:
        return None
    place = find(path, create=True)
    _, parent = head(place.repo)
    if blob_id(parent.tree if parent else None, place.rel) == pygit2.hash(data):
        return None
    new = commit(place.repo, {place.rel: data}, message or f"记录在 evaltui 之外的改动：{place.rel}", author())
    return str(new) if new is not None else None


def _migrate_legacy(repo: pygit2.Repository, rel: str, path: Path) -> None:
    """Commit the copies in ``.evaltui-history/NAME/`` oldest first; never write or follow links there."""
    for when, owner, data in legacy_copies(path):
        commit(repo, {rel: data}, f"旧版本（{LEGACY_DIR}）：{rel}", author(when, owner))


def legacy_copies(path: Path) -> Iterator[tuple[datetime.datetime, str, bytes]]:
    """The old history's copies of ``path``, oldest first: (time, owner, bytes).

    Every step is opened without following a symlink; anything that is not a plain folder or
    a regular file is passed over.
    """
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_DIRECTORY
    fds: list[int] = []
    try:
        fds.append(os.open(path.parent / LEGACY_DIR, flags))
        fds.append(os.open(path.name, flags, dir_fd=fds[-1]))
        names = sorted(os.listdir(fds[-1]))
        previous = None
        for name in names:
            try:
                fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0), dir_fd=fds[-1])
            except OSError:
                continue
            with os.fdopen(fd, "rb") as handle:
                info = os.fstat(handle.fileno())
                if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BLOB_BYTES:
                    continue
                data = handle.read()
            if data == previous:
                continue
            previous = data
            when = _stamp(name) or datetime.datetime.fromtimestamp(info.st_mtime)
            yield when.astimezone(), _owner_name(info.st_uid), data
    except OSError:
        return
    finally:
        for fd in fds:
            os.close(fd)


def _stamp(name: str) -> datetime.datetime | None:
    try:
        return datetime.datetime.strptime(name.split(".toml")[0], "%Y%m%dT%H%M%S.%f")
    except ValueError:
        return None


# ---------------------------------------------------------------- the trail

def history(path: Path) -> list[Version]:
    """The versions of ``path``, newest first; empty when it has none."""
    place = find(path)
    if place is None:
        return []
    repo, rel = place.repo, place.rel
    _, tip = head(repo)
    if tip is None:
        return []
    found: list[Version] = []
    for item in repo.walk(tip.id, SortMode.TOPOLOGICAL | SortMode.TIME):
        blob = blob_id(item.tree, rel)
        if blob is None:
            continue
        before = [blob_id(p.tree, rel) for p in item.parents]
        if any(b == blob for b in before):
            continue
        previous = next((b for b in before if b is not None), None)
        signature = item.author
        zone = datetime.timezone(datetime.timedelta(minutes=signature.offset))
        found.append(Version(
            commit=str(item.id),
            when=datetime.datetime.fromtimestamp(signature.time, zone),
            who=who(signature),
            message=item.message.strip(),
            data=repo.get(blob).data,
            before=repo.get(previous).data if previous is not None else None,
        ))
    return found


def describe(version: Version) -> list[str]:
    """What a version changed, in the change dialog's words."""
    from evaltui import changes, store

    try:
        new = store.loads(version.data.decode("utf-8"))
    except (store.LoadError, UnicodeDecodeError):
        return ["（此版本无法读取为自评表）"]
    if version.before is None:
        return [f"新建：{new.name or '（未命名）'}"]
    try:
        old = store.loads(version.before.decode("utf-8"))
    except (store.LoadError, UnicodeDecodeError):
        return ["（上一版本无法读取，整份替换）"]
    return changes.changes(old, new) or ["（仅格式改动，内容未变）"]
