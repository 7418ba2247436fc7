"""A PostgreSQL server of a test's own, to stop and start again: a fresh data folder made by
``initdb`` and run by ``pg_ctl`` as the ``postgres`` user on a free loopback port, so the shared
server the other tests use is never touched. Needs the server binaries (Debian's
``postgresql`` package) and root, or to run as ``postgres``."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

USER = "postgres"


def _binaries() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
                   key=lambda p: [int(x) for x in p.parent.parent.name.split(".")
                                  if x.isdigit()])
    return found[-1].parent if found else None


def missing() -> str | None:
    """Why no throwaway server can be made here, or None."""
    if _binaries() is None:
        return "no PostgreSQL server binaries in /usr/lib/postgresql"
    try:
        pwd.getpwnam(USER)
    except KeyError:
        return f"no {USER} user"
    if os.geteuid() != 0 and pwd.getpwuid(os.geteuid()).pw_name != USER:
        return f"needs root or the {USER} user to run initdb"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ThrowawayPostgres:
    def __init__(self, folder: Path, port: int) -> None:
        bin_dir = _binaries()
        assert bin_dir is not None
        self._bin = bin_dir
        self._folder = folder
        self._data = folder / "data"
        self.port = port
        self.url = f"postgresql+psycopg://{USER}@127.0.0.1:{port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        as_user: dict[str, Any] = {"user": USER} if os.geteuid() == 0 else {}
        subprocess.run([str(self._bin / tool), *args], check=True, cwd=self._folder,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120,
                       **as_user)

    def create(self) -> None:
        self._run("initdb", "-D", str(self._data), "-U", USER, "--auth=trust", "-E", "UTF8",
                  "--no-locale", "--no-sync")

    def start(self) -> None:
        options = (f"-p {self.port} -k {self._folder} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c max_connections=50")
        self._run("pg_ctl", "-D", str(self._data), "-l", str(self._folder / "log"), "-w",
                  "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        """``fast`` closes the open sessions (the clients see the server close the
        connection); ``immediate`` is a crash."""
        self._run("pg_ctl", "-D", str(self._data), "-m", mode, "-w", "stop")


@contextmanager
def throwaway_postgres() -> Iterator[ThrowawayPostgres]:
    folder = Path(tempfile.mkdtemp(prefix="motcua-pg-"))
    try:
        if os.geteuid() == 0:
            shutil.chown(folder, USER, USER)
        server = ThrowawayPostgres(folder, _free_port())
        server.create()
        server.start()
        try:
            yield server
        finally:
            with suppress(subprocess.CalledProcessError):  # already stopped
                server.stop("immediate")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
