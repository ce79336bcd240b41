"""The bots under test, each a separate process started as an operator would start it.

Ours is `python -m vodiy_bozor run` (or, to measure without uvloop, the same `main()` with
uvloop hidden from the import system); the baseline is `bench/echo_bot.py`. Each gets a clean
environment (nothing of ours leaks in), its own working directory, and a log file rather than
a pipe (a pipe nobody reads would block the bot once full). Every process started is stopped
when the benchmark ends, however it ends (`Processes.close`).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent

# Hiding uvloop makes `vodiy_bozor.__main__._run_async` fall back to asyncio.run, exactly the
# path a machine without uvloop takes; nothing else about the program changes.
_WITHOUT_UVLOOP = (
    "import sys; sys.modules['uvloop'] = None; "
    "from vodiy_bozor.__main__ import main; sys.exit(main(['run']))"
)


class Kind(enum.Enum):
    OURS = "ours"
    OURS_NO_UVLOOP = "ours (asyncio loop)"
    ECHO = "echo"
    ECHO_NO_UVLOOP = "echo (asyncio loop)"


def command(kind: Kind, *, profile: Path | None = None) -> list[str]:
    python = sys.executable
    if kind is Kind.OURS:
        if profile is not None:  # cProfile writes the file when the bot exits (SIGTERM is clean)
            return [python, "-m", "cProfile", "-o", str(profile), "-m", "vodiy_bozor", "run"]
        return [python, "-m", "vodiy_bozor", "run"]
    if kind is Kind.OURS_NO_UVLOOP:
        return [python, "-c", _WITHOUT_UVLOOP]
    # -P: the script's folder (bench/) is not put on sys.path, so no module of ours can shadow
    # one the echo bot imports.
    echo = [python, "-P", str(BENCH_DIR / "echo_bot.py")]
    return echo if kind is Kind.ECHO else [*echo, "--no-uvloop"]


@dataclass
class BotProcess:
    kind: Kind
    process: asyncio.subprocess.Process
    launched_at: float  # time.monotonic() just before the launch
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def _status(self, field: str) -> int | None:
        """A `kB` field of /proc/<pid>/status, in bytes (None once the process is gone)."""
        try:
            text = Path(f"/proc/{self.pid}/status").read_text()
        except OSError:
            return None
        for line in text.splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
        return None

    def peak_rss(self) -> int | None:
        """The kernel's high-water mark of resident memory (VmHWM): a true peak, not a sample."""
        return self._status("VmHWM")

    def rss(self) -> int | None:
        return self._status("VmRSS")

    def cpu_seconds(self) -> float:
        """User + system CPU time the process has used so far."""
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    async def stop(self, grace: float = 15.0) -> int | None:
        """SIGTERM (an orderly shutdown), then SIGKILL if it takes longer than `grace`."""
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), grace)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    self.process.kill()
                await self.process.wait()
        return self.process.returncode


class Processes:
    """Starts bots and guarantees they are all stopped by `close()`."""

    def __init__(
        self, workdir: Path, base_env: dict[str, str], *, profile_dir: Path | None = None
    ) -> None:
        self._workdir = workdir
        self._profile_dir = profile_dir
        self._base_env = base_env
        self._started: list[BotProcess] = []
        self._count = 0

    async def start(self, kind: Kind, env: dict[str, str]) -> BotProcess:
        self._count += 1
        run_dir = self._workdir / f"{self._count:02d}-{kind.name.lower()}"
        run_dir.mkdir(parents=True)
        log_path = run_dir / "bot.log"
        full_env = {**self._base_env, **env, "DATA_DIR": str(run_dir / "data")}
        profile = None
        if self._profile_dir is not None and kind is Kind.OURS:
            self._profile_dir.mkdir(parents=True, exist_ok=True)
            profile = self._profile_dir / f"{run_dir.name}.prof"
        with log_path.open("wb") as log:
            launched_at = time.monotonic()
            process = await asyncio.create_subprocess_exec(
                *command(kind, profile=profile),
                env=full_env,
                cwd=run_dir,  # no .env of a developer's checkout is picked up
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        bot = BotProcess(kind, process, launched_at, log_path)
        self._started.append(bot)
        return bot

    async def close(self) -> None:
        await asyncio.gather(*(bot.stop(grace=10.0) for bot in self._started))

    def kill_all(self) -> None:
        """Last resort (interpreter exit): SIGKILL whatever is still running."""
        for bot in self._started:
            if bot.process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(bot.pid, signal.SIGKILL)


def clean_env(extra: dict[str, str]) -> dict[str, str]:
    """A minimal environment plus `extra`: no settings of the caller leak into the bots."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV")
    base = {k: v for k, v in os.environ.items() if k in keep}
    return {**base, **extra}
