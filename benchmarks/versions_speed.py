"""A save with its git commit on a 2,000-file folder, beside a save without one.

Makes the folder (benchmarks/make_folder.py, every file one version), then saves one
evaluation over and over with a real change each time and prints the median and the 90th
percentile of:

- the file alone (store.write_atomic: temp file, fsync, rename) — a save with no version;
- store.save — the file and its commit with pygit2, as evaltui does it;
- the commit alone with pygit2 (versions.record);
- the same commit made with dulwich (blob, tree with one entry changed, commit, compare-and-swap ref);
- the same commit made with the git command (hash-object, mktree, commit-tree, update-ref, update-index).

    python benchmarks/versions_speed.py [--count 2000] [--saves 40] [--folder DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from evaltui import files, store, versions  # noqa: E402

GIT_ENV = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@host",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@host")


def git(folder: Path, *args: str, data: bytes | None = None) -> str:
    return subprocess.run(["git", *args], cwd=folder, input=data, capture_output=True, check=True, env=GIT_ENV).stdout.decode()


def commit_with_git(folder: Path, name: str, data: bytes) -> None:
    blob = git(folder, "hash-object", "-w", "--stdin", data=data).strip()
    old = git(folder, "rev-parse", "HEAD").strip()
    listing = git(folder, "ls-tree", "-z", "HEAD").split("\0")
    lines = [line for line in listing if line and not line.endswith("\t" + name)] + [f"100644 blob {blob}\t{name}"]
    tree = git(folder, "mktree", "-z", data="\0".join(lines).encode() + b"\0").strip()
    new = git(folder, "commit-tree", tree, "-p", old, "-m", f"保存 {name}").strip()
    git(folder, "update-ref", "refs/heads/main", new, old)
    git(folder, "update-index", "--cacheinfo", f"100644,{blob},{name}")


def commit_with_dulwich(folder: Path, name: str, data: bytes) -> None:
    from dulwich.objects import Blob, Commit, Tree
    from dulwich.repo import Repo

    repo = Repo(str(folder))
    old = repo.refs[b"refs/heads/main"]
    blob = Blob.from_string(data)
    tree = Tree()
    for entry in repo[repo[old].tree].items():
        tree.add(entry.path, entry.mode, entry.sha)
    tree.add(name.encode(), 0o100644, blob.id)
    commit = Commit()
    commit.tree, commit.parents = tree.id, [old]
    commit.author = commit.committer = b"bench <bench@host>"
    commit.commit_time = commit.author_time = int(time.time())
    commit.commit_timezone = commit.author_timezone = 0
    commit.message = f"保存 {name}".encode()
    for obj in (blob, tree, commit):
        repo.object_store.add_object(obj)
    assert repo.refs.set_if_equals(b"refs/heads/main", old, commit.id)


def timed(saves: int, step) -> list[float]:
    times = []
    for i in range(saves):
        start = time.perf_counter()
        step(i)
        times.append((time.perf_counter() - start) * 1000)
    return times


def line(label: str, times: list[float]) -> str:
    ordered = sorted(times)
    return (f"{label:<46} min {ordered[0]:6.1f} ms   median {statistics.median(times):6.1f} ms   "
            f"p90 {ordered[int(len(ordered) * 0.9) - 1]:6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--saves", type=int, default=40)
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="evaltui-versions-")) / "district"
    if not (folder / ".git").exists():
        start = time.perf_counter()
        subprocess.run([sys.executable, str(HERE / "make_folder.py"), str(args.count), str(folder)], check=True)
        print(f"made {args.count} evaluations, one commit each, in {time.perf_counter() - start:.1f} s")
    path = next(iter(files.find([folder])))
    ev = store.load(path)
    name = path.name

    def variant(i: int, tag: str):
        return ev.model_copy(update={"leader": f"{tag}{i}"})

    results = [
        ("save without a version (write_atomic)", timed(args.saves, lambda i: store.write_atomic(path, store.dumps(variant(i, "a")).encode()))),
        ("save with its commit (store.save, pygit2)", timed(args.saves, lambda i: store.save(path, variant(i, "b")))),
    ]
    results.append(("  the commit alone with pygit2 (versions.record)",
                    timed(args.saves, lambda i: versions.record(path, store.dumps(variant(i, "e")).encode(), None))))
    try:
        import dulwich  # noqa: F401

        results.append(("  the commit alone with dulwich", timed(args.saves, lambda i: commit_with_dulwich(folder, name, store.dumps(variant(i, "c")).encode()))))
    except ImportError:
        print("dulwich not installed: pip install dulwich to compare")
    results.append(("  the commit alone with the git command", timed(args.saves, lambda i: commit_with_git(folder, name, store.dumps(variant(i, "d")).encode()))))
    store.write_atomic(path, store.dumps(ev).encode())
    print(f"{len(list(files.find([folder])))} files, {len(versions.history(path))} versions of {name}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for label, times in results:
        print(line(label, times))
    git(folder, "fsck")
    print("git fsck: ok")


if __name__ == "__main__":
    main()
