"""``evaltui sync [FOLDER]``: exchange versions with the repository's remote.

Files changed on disk outside evaltui are first recorded as versions. Then the remote's
branch is fetched (the git command, so the user's ssh or https setup applies) and combined
with this one per evaluation and per field: a side that alone changed an evaluation wins;
both sides changed it → three-way merge of the parsed evaluations; the same field changed on
both sides → this side's value stays and the other side's version is written beside it as
``NAME（冲突 user@host）.toml``, on disk only: never committed nor sent, and not listed or
counted as an evaluation (files.find passes it over). The result is committed (a merge commit
when both moved) and pushed. One line per evaluation that moved; exit 0 in sync, 1 on a conflict or a failure.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import pygit2
import tomli
import tomli_w

from evaltui import files, store, versions
from evaltui.merge import merge3  # sync.merge3: the three-way merge, per field
from evaltui.visible import visible
from evaltui.labels import AMOUNT_COLUMNS, BUDGET_LINES, GOAL_FIELDS, HEADER_FIELDS, INDICATOR_FIELDS

_TRIES = 3


class SyncError(Exception):
    """Something could not be exchanged; one line, in Chinese."""


@dataclass
class Outcome:
    moved: list[str] = field(default_factory=list)  # stdout lines, one per evaluation
    conflicts: list[str] = field(default_factory=list)  # stderr lines, one per conflict copy


# ---------------------------------------------------------------- per field

def _data(blob: bytes | None) -> dict | None:
    """An evaluation's canonical data, or None when the bytes are not an evaluation."""
    if blob is None:
        return None
    try:
        return tomli.loads(store.dumps(store.loads(blob.decode("utf-8"))), parse_float=_decimal)
    except (store.LoadError, UnicodeDecodeError, tomli.TOMLDecodeError):
        return None


def _decimal(text: str):
    from decimal import Decimal

    return Decimal(text)


def merge_evaluations(base: bytes | None, ours: bytes, theirs: bytes) -> tuple[bytes, list[tuple]]:
    """This side's file with the other side's changes in it, and the fields both changed."""
    o, t = _data(ours), _data(theirs)
    b = _data(base) if base is not None else {}
    if o is None or t is None or b is None:
        return ours, [()]
    merged, conflicts = merge3(b, o, t)
    try:
        ev = store.loads(tomli_w.dumps(merged))
    except store.LoadError:
        return ours, [()]
    return store.dumps(ev).encode("utf-8"), conflicts


def conflict_name(rel: str, who: str) -> str:
    """NAME（冲突 user@host）.toml: not an evaluation of the folder (files.is_conflict_copy)."""
    stem, _, _ = rel.rpartition(".toml")
    return f"{stem}（冲突 {who}）.toml"


# ---------------------------------------------------------------- the exchange

def _git(workdir: str, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    try:
        return subprocess.run(["git", *args], cwd=workdir, env=env, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, timeout=300)
    except FileNotFoundError:
        raise SyncError("找不到 git 命令：同步需要安装 git") from None
    except subprocess.TimeoutExpired:
        raise SyncError(f"git {args[0]} 超时（5 分钟）") from None


_UNREACHABLE = ("does not appear to be a git repository", "Could not read from remote repository",
                "unable to access", "Repository not found", "repository not found")


def _reason(done: subprocess.CompletedProcess) -> str:
    """git's first meaningful line (its later lines are advice: "Please make sure you have …")."""
    for line in (done.stderr or done.stdout).splitlines():
        line = line.strip()
        for prefix in ("fatal: ", "error: "):
            line = line.removeprefix(prefix)
        if line:
            return line
    return f"git 退出码 {done.returncode}"


def _failure(done: subprocess.CompletedProcess, remote: str, doing: str) -> SyncError:
    """One line: a remote that is not there (a wrong path, an unknown host) said as such."""
    if any(mark in done.stderr for mark in _UNREACHABLE):
        return SyncError(f"远端 {remote} 不存在或无法访问：{_reason(done)}")
    return SyncError(f"{doing}：{_reason(done)}")


def _remote(repo: pygit2.Repository, branch: str) -> str:
    try:
        return str(repo.config[f"branch.{branch}.remote"])
    except KeyError:
        pass
    names = list(repo.remotes.names())
    if "origin" in names:
        return "origin"
    if len(names) == 1:
        return names[0]
    raise SyncError("版本库没有远端（git remote add origin 地址），无从同步" if not names else
                    f"版本库有多个远端（{'、'.join(names)}），请用 git branch --set-upstream-to 指定一个")


def _blob(repo: pygit2.Repository, commit: pygit2.Commit | None, rel: str) -> bytes | None:
    """The file at ``rel`` in ``commit``; None when there is none or it is not a regular file (a symlink)."""
    if commit is None:
        return None
    try:
        entry = commit.tree[rel]
    except KeyError:
        return None
    if entry.type_str != "blob" or entry.filemode not in (pygit2.enums.FileMode.BLOB, pygit2.enums.FileMode.BLOB_EXECUTABLE):
        return None
    return repo.get(entry.id).data


def _changed(repo: pygit2.Repository, old: pygit2.Commit | None, new: pygit2.Commit) -> list[str]:
    """Evaluation files whose content differs between two commits."""
    if old is None:
        diff = new.tree.diff_to_tree(swap=True)
    else:
        diff = repo.diff(old, new)
    paths = {delta.new_file.path for delta in diff.deltas} | {delta.old_file.path for delta in diff.deltas}
    return sorted(p for p in paths if p.endswith(files.SUFFIX))


def _author_of(repo: pygit2.Repository, tip: pygit2.Commit, stop: pygit2.Oid | None, rel: str) -> str:
    """Who made the newest change to ``rel`` on ``tip``'s side."""
    walker = repo.walk(tip.id, pygit2.enums.SortMode.TOPOLOGICAL | pygit2.enums.SortMode.TIME)
    if stop is not None:
        walker.hide(stop)
    for item in walker:
        mine = versions.blob_id(item.tree, rel)
        if all(versions.blob_id(p.tree, rel) != mine for p in item.parents) or not item.parents:
            return versions.who(item.author)
    return versions.who(tip.author)


class Sync:
    def __init__(self, folder: Path):
        place = versions.find(folder / "_")
        if place is None:
            raise SyncError(f"{folder}: 还没有版本库（先保存一次），无从同步")
        self.folder = folder
        self.repo = place.repo
        self.workdir = self.repo.workdir
        ref_name, _ = versions.head(self.repo)
        if not ref_name.startswith("refs/heads/"):
            raise SyncError(f"{folder}: 版本库不在任何分支上（HEAD 游离），无从同步")
        self.ref_name = ref_name
        self.branch = ref_name[len("refs/heads/"):]
        self.remote = _remote(self.repo, self.branch)
        self.tracking = f"refs/remotes/{self.remote}/{self.branch}"

    def record_disk(self) -> None:
        """Evaluations changed on disk outside evaltui become versions by the current user."""
        for path in files.find([self.folder]):  # conflict copies are not evaluations: never recorded nor sent
            try:
                versions.record_on_disk(path)
            except (versions.VersionError, pygit2.GitError, OSError) as exc:
                raise SyncError(f"{path}: 未能记录磁盘上的改动（{exc}）") from None

    def fetch(self) -> pygit2.Commit | None:
        done = _git(self.workdir, "fetch", "--quiet", self.remote, f"+refs/heads/{self.branch}:{self.tracking}")
        if done.returncode != 0:
            if "couldn't find remote ref" in done.stderr:
                return None  # an empty remote: everything here is to be sent
            raise _failure(done, self.remote, f"无法从远端 {self.remote} 取得版本")
        ref = self.repo.references.get(self.tracking)
        return self.repo.get(ref.target) if ref is not None else None

    def push(self) -> bool:
        done = _git(self.workdir, "push", "--quiet", self.remote, f"{self.ref_name}:refs/heads/{self.branch}")
        if done.returncode == 0:
            return True
        if "rejected" in done.stderr or "fetch first" in done.stderr or "non-fast-forward" in done.stderr:
            return False
        raise _failure(done, self.remote, f"无法把版本发到远端 {self.remote}")

    def run(self) -> Outcome:
        outcome = Outcome()
        self.record_disk()
        for _ in range(_TRIES):
            theirs = self.fetch()
            _, ours = versions.head(self.repo)
            if theirs is not None and ours is not None and theirs.id == ours.id:
                return outcome
            if theirs is None or (ours is not None and self.repo.descendant_of(ours.id, theirs.id)):
                if ours is None:
                    return outcome
                sent = _changed(self.repo, theirs, ours)
            elif ours is None or self.repo.descendant_of(theirs.id, ours.id):
                self._fast_forward(ours, theirs, outcome)
                sent = []
            else:
                self._merge(ours, theirs, outcome)
                _, ours = versions.head(self.repo)
                sent = _changed(self.repo, theirs, ours)
            if self.push():
                outcome.moved += [f"发出 {rel}" for rel in sent if not any(line.endswith(f" {rel}") for line in outcome.moved)]
                return outcome
        raise SyncError(f"远端 {self.remote} 一直在变，请稍后再同步")

    def _write(self, rel: str, data: bytes) -> None:
        """Write a file that came from the remote inside the work tree, never through a symlink."""
        root = Path(self.workdir)
        parts = rel.split("/")
        if any(part in ("", ".", "..") for part in parts):
            raise SyncError(f"远端的文件名 {rel} 不安全，未写入")
        here = root
        for part in parts[:-1]:
            here = here / part
            if here.is_symlink():
                raise SyncError(f"{here} 是符号链接，远端的 {rel} 不会经由它写到文件夹之外")
            if not here.exists():
                here.mkdir()
        store.write_atomic(here / parts[-1], data)

    def _fast_forward(self, ours: pygit2.Commit | None, theirs: pygit2.Commit, outcome: Outcome) -> None:
        changed = _changed(self.repo, ours, theirs)
        for rel in changed:
            data = _blob(self.repo, theirs, rel)
            if data is not None:
                self._write(rel, data)
                outcome.moved.append(f"收到 {rel}")
        if not versions._move(self.repo, self.ref_name, ours.id if ours is not None else None, theirs.id, "evaltui: 同步"):
            raise SyncError("同步时有人保存了新版本，请再同步一次")
        versions._index_set(self.repo, {rel: versions.blob_id(theirs.tree, rel) for rel in changed
                                        if versions.blob_id(theirs.tree, rel) is not None})

    def _merge(self, ours: pygit2.Commit, theirs: pygit2.Commit, outcome: Outcome) -> None:
        base_id = self.repo.merge_base(ours.id, theirs.id)
        base = self.repo.get(base_id) if base_id is not None else None
        result: dict[str, bytes] = {}
        copies: dict[str, bytes] = {}  # the other side's versions of fields both changed: on disk here only
        for rel in _changed(self.repo, base, theirs):
            b, o, t = (_blob(self.repo, c, rel) for c in (base, ours, theirs))
            if t is None or o == t:
                continue
            if o is None or o == b:
                result[rel] = t
                outcome.moved.append(f"收到 {rel}")
                continue
            merged, clashes = merge_evaluations(b, o, t)
            if merged != o:
                result[rel] = merged
            if not clashes:
                outcome.moved.append(f"合并 {rel}")
                continue
            who = _author_of(self.repo, theirs, base_id, rel)
            copy = conflict_name(rel, who)
            copies[copy] = t
            outcome.moved.append(f"冲突 {rel}")
            fields = "、".join(_field_label(c) for c in clashes[:3]) + ("……" if len(clashes) > 3 else "")
            outcome.conflicts.append(f"{rel}: {fields} 两边都改了，保留本机的值；{who} 的版本写在 {copy}（只在本机，不计入汇总，不同步）")
        for rel, data in (result | copies).items():
            self._write(rel, data)
        versions.commit(self.repo, result, f"同步：合并 {self.remote}/{self.branch}", versions.author(), other_parent=theirs.id)


def standing(folder: Path, *, fetch: bool) -> str:
    """How the folder stands against its remote, in a few words ("" when it has none).

    With ``fetch`` the remote is asked first; without, the last fetch is used.
    """
    try:
        sync = Sync(folder)
        theirs = sync.fetch() if fetch else None
        if not fetch:
            ref = sync.repo.references.get(sync.tracking)
            theirs = sync.repo.get(ref.target) if ref is not None else None
    except (SyncError, versions.VersionError, pygit2.GitError, OSError):
        return ""
    _, ours = versions.head(sync.repo)
    if ours is None and theirs is None:
        return ""
    if theirs is None:
        return "未同步过"
    if ours is None:
        return "落后于共享副本"
    ahead, behind = sync.repo.ahead_behind(ours.id, theirs.id)
    if not ahead and not behind:
        return "已同步"
    parts = ([f"落后 {behind}"] if behind else []) + ([f"领先 {ahead}"] if ahead else [])
    return "，".join(parts)


_TOP_LABELS = dict((*HEADER_FIELDS, ("year", "年度"), ("reported_total", "表中总分"), ("goals", "绩效目标"),
                    ("budget", "资金"), ("indicators", "指标"), ("budget_extra", "资金行"), ("notes", "说明")))
_INNER_LABELS = {  # the labels of a field inside each table of the file
    "goals": dict(GOAL_FIELDS),
    "budget": dict(BUDGET_LINES),
    "indicators": dict((*INDICATOR_FIELDS, ("direction", "方向"), ("applicable", "适用"))),
    "budget_extra": dict((*AMOUNT_COLUMNS, ("label", "名称"))),
    "notes": {"label": "名称", "text": "内容"},
}


def _field_label(where: tuple) -> str:
    """A field as the person knows it: ("indicators", 0, "score") → 指标 1·得分."""
    if not where:
        return "整份文件"
    section = str(where[0])
    parts = [_TOP_LABELS.get(section, section)]
    inner = _INNER_LABELS.get(section, {})
    for part in where[1:]:
        if isinstance(part, int):
            parts[-1] = f"{parts[-1]} {part + 1}"
        elif section == "budget" and part in dict(AMOUNT_COLUMNS):
            parts.append(dict(AMOUNT_COLUMNS)[part])
        elif section == "budget" and len(parts) == 1:
            parts[0] = inner.get(part, part)
        else:
            parts.append(inner.get(part, str(part)))
    return "·".join(parts)


def run_sync(folder: str, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    path = Path(folder)
    if not path.is_dir():
        print(visible(f"{path}: {'不是文件夹' if path.exists() else '文件夹不存在'}"), file=err)
        return 2
    try:
        sync = Sync(path)
    except (SyncError, versions.VersionError) as exc:
        print(str(exc), file=err)
        return 2
    try:
        outcome = sync.run()
    except (SyncError, versions.VersionError, store.SaveError) as exc:
        print(str(exc), file=err)
        return 1
    for line in outcome.moved:
        print(line, file=out)
    for line in outcome.conflicts:
        print(f"冲突：{line}", file=err)
    if not outcome.moved:
        print("已同步，没有需要交换的版本", file=out)
    return 1 if outcome.conflicts else 0
