"""Shared paths and helpers for the tests."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import socket
import subprocess
import time
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
# Copies of ../shared/fixtures and ../shared/tools/tui.py: the tests stand alone on a clone.
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def made_output(args: tuple[str, ...], cwd: Path | None = None) -> None:
    """``evaltui import … -o DIR`` writes into a folder that exists (it refuses a missing one,
    as export and summary do): the tests that import make DIR first, as a person would."""
    if args[:1] == ("import",) and "-o" in args[:-1]:
        folder = Path(args[args.index("-o") + 1])
        folder = cwd / folder if cwd is not None and not folder.is_absolute() else folder
        if not folder.exists():
            folder.mkdir(parents=True)
TOOLS = Path(__file__).resolve().parent / "tools"
SEED_DOCX = FIXTURES / "seed-2024.docx"
SEED_LO_DOCX = FIXTURES / "seed-2024-libreoffice.docx"
SEED_DOC = FIXTURES / "seed-2024.doc"  # Word 97 format, saved by LibreOffice from the seed
EXPECTED = FIXTURES / "seed-2024.expected.json"


@pytest.fixture(scope="session")
def expected_forms() -> list[dict]:
    if not EXPECTED.exists():
        pytest.fail(f"{EXPECTED} is missing")
    return json.loads(EXPECTED.read_text(encoding="utf-8"), parse_float=Decimal)


@pytest.fixture(autouse=True, scope="session")
def _git_of_our_own(tmp_path_factory):
    """Saves commit to git: the tests set the identity and config, never the machine's."""
    home = tmp_path_factory.mktemp("git-home")
    config = home / "gitconfig"
    config.write_text("[user]\n\tname = evaltui-tests\n\temail = tests@evaltui.invalid\n[init]\n\tdefaultBranch = main\n"
                      "[protocol \"file\"]\n\tallow = always\n", encoding="utf-8")
    saved = {key: os.environ.get(key) for key in ("GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM", "GIT_TERMINAL_PROMPT")}
    os.environ.update(GIT_CONFIG_GLOBAL=str(config), GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0")
    try:
        import pygit2
        from pygit2.enums import ConfigLevel

        for level in (ConfigLevel.GLOBAL, ConfigLevel.XDG, ConfigLevel.SYSTEM):
            pygit2.settings.search_path[level] = str(home)
    except ImportError:
        pass
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def sshd(tmp_path):
    """A throwaway sshd on a loopback port that lets this user in with a throwaway key.

    Yields the ``ssh -tt … 127.0.0.1`` command that logs in (test_terminal, test_sync).
    """
    daemon = shutil.which("sshd") or ("/usr/sbin/sshd" if os.path.exists("/usr/sbin/sshd") else None)
    if daemon is None or shutil.which("ssh") is None or shutil.which("ssh-keygen") is None:
        pytest.skip("needs openssh-server and openssh-client")
    keys = tmp_path / "ssh"
    keys.mkdir()
    for name in ("host", "client"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(keys / name)], check=True)
    (keys / "authorized_keys").write_text((keys / "client.pub").read_text())
    port = _free_port()
    config = keys / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {keys / 'host'}\nAuthorizedKeysFile {keys / 'authorized_keys'}\n"
        f"PidFile {keys / 'sshd.pid'}\nStrictModes no\nPasswordAuthentication no\nUsePAM no\nPermitRootLogin yes\n"
    )
    os.makedirs("/run/sshd", exist_ok=True)
    server = subprocess.Popen([daemon, "-D", "-f", str(config)], stderr=subprocess.PIPE)
    for _ in range(100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    else:
        server.kill()
        pytest.skip("sshd did not start: " + server.stderr.read().decode(errors="replace")[-200:])
    ssh = (f"ssh -tt -p {port} -i {shlex.quote(str(keys / 'client'))} -o StrictHostKeyChecking=no "
           f"-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR 127.0.0.1")
    yield ssh
    server.terminate()
    server.wait(timeout=10)
