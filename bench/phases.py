"""The measurements, one function each; `bench.__main__` runs them in order and reports."""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import psutil

from bench.database import seed_published_ads
from bench.fakeapi import BenchTelegram, Send, text_of
from bench.load import LoadResult, People, Target, closed_loop, open_loop
from bench.procs import BotProcess, Kind, Processes
from tests.fake_telegram import SEND_METHODS, Call, fake_jpeg
from vodiy_bozor.db import ads as db_ads
from vodiy_bozor.db import jobs as db_jobs
from vodiy_bozor.db.outbox import enqueue
from vodiy_bozor.db.pool import connect, create_pool
from vodiy_bozor.services.listings import RECENT_INTERVALS, REPOST_JOB, Listings

TOKEN = "123456:BENCH-token-for-the-fake-api"
BOT_USERNAME = "vodiy_bench_bot"
CHANNEL = "@vodiy_bench"
CHANNEL_ID = -1001234567890
ADMINS = (5_000_001, 5_000_002)  # outside the seeded users' ids
STARTUP_TIMEOUT = 90.0
STEP_TIMEOUT = 30.0  # an answer later than this is counted as missing


@dataclass(frozen=True)
class LoadPlan:
    sellers: int  # throughput: sellers who go through the whole dialog
    concurrency: int  # ... this many at once
    max_seconds: float  # ... stopping new ones after this long
    latency_seconds: float  # latency: how long the steady load lasts
    step_timeout: float = 30.0


@dataclass
class Percentiles:
    count: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Percentiles:
        if not seconds:
            return cls(0, float("nan"), float("nan"), float("nan"), float("nan"))
        ordered = sorted(seconds)

        def at(q: float) -> float:
            # Nearest rank: the smallest value with at least q of the samples at or below it.
            index = max(0, min(len(ordered) - 1, int(q * len(ordered) + 0.999999) - 1))
            return ordered[index] * 1000

        return cls(len(ordered), at(0.50), at(0.95), at(0.99), ordered[-1] * 1000)


@dataclass
class BotRun:
    kind: str
    startup_s: float
    throughput: dict[str, Any]
    latency: dict[str, Any] | None
    peak_rss_mb: float
    cpu: dict[str, float]
    exit_code: int | None
    handled_by_fake: int
    errors: list[str] = field(default_factory=list)
    # CPU seconds the bot had used when its first getUpdates arrived: steadier than the wall
    # clock on a shared machine.
    startup_cpu_s: float = 0.0

    @property
    def per_second(self) -> float:
        return float(self.throughput["per_second"])


def bot_env(fake: BenchTelegram, db_url: str) -> dict[str, str]:
    return {
        "API_TOKEN": TOKEN,
        "CHANNEL_ID": CHANNEL,
        "ADMIN_IDS": ",".join(str(a) for a in ADMINS),
        "TELEGRAM_API_URL": fake.url,
        "DATABASE_URL": db_url,
        "LOG_LEVEL": "INFO",
        # The throughput and latency phases measure the bot's own cost, against an echo bot
        # that paces nothing; pacing within Telegram's limits is measured by the tests
        # (tests/e2e/test_limits.py) and the soak phase.
        "PACE_CALLS": "off",
    }


@asynccontextmanager
async def running_fake() -> AsyncIterator[BenchTelegram]:
    """A fresh fake Bot API per bot process: its chats hold every message of the run."""
    fake = BenchTelegram(
        token=TOKEN,
        bot_username=BOT_USERNAME,
        channel_username=CHANNEL.removeprefix("@"),
        channel_id=CHANNEL_ID,
    )
    await fake.start()
    for admin in ADMINS:
        fake.user(admin, "Admin", language_code="uz")
    try:
        yield fake
    finally:
        await fake.stop()


async def wait_started(fake: BenchTelegram, bot: BotProcess) -> float:
    """Seconds from launch to the bot's first getUpdates (the fake records the arrival)."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while fake.first_poll_at is None:
        if bot.process.returncode is not None:
            msg = f"{bot.kind.value} exited with {bot.process.returncode}:\n{bot.log_tail()}"
            raise RuntimeError(msg)
        if time.monotonic() > deadline:
            msg = f"{bot.kind.value} did not poll within {STARTUP_TIMEOUT}s:\n{bot.log_tail()}"
            raise RuntimeError(msg)
        await asyncio.sleep(0.01)
    return fake.first_poll_at - bot.launched_at


def _postgres_cpu(database: str) -> dict[int, float]:
    """CPU seconds so far of the PostgreSQL backends serving `database` (their command line
    names it). The server's own helpers (WAL writer, checkpointer) are not counted."""
    found: dict[int, float] = {}
    for proc in psutil.process_iter(["name", "cmdline"]):
        if proc.info["name"] == "postgres" and database in " ".join(proc.info["cmdline"] or ()):
            with contextlib.suppress(psutil.Error):
                times = proc.cpu_times()
                found[proc.pid] = times.user + times.system
    return found


def _machine_busy() -> float:
    """CPU seconds all cores spent on anything but idling, since boot."""
    times = psutil.cpu_times()
    return float(sum(times) - times.idle - getattr(times, "iowait", 0.0))


class CpuMeter:
    """CPU used by the bot, this benchmark process and PostgreSQL between start and stop,
    and by everything else on the machine (other people's work makes the figures noisy)."""

    def __init__(self, bot: BotProcess, db_url: str) -> None:
        self._bot = bot
        self._database = urlsplit(db_url).path.lstrip("/")
        self._at = time.monotonic()
        self._bot0 = bot.cpu_seconds()
        self._bench0 = time.process_time()
        self._pg0 = _postgres_cpu(self._database)
        self._machine0 = _machine_busy()

    def stop(self, updates: int) -> dict[str, float]:
        seconds = time.monotonic() - self._at
        pg1 = _postgres_cpu(self._database)
        used = {
            "seconds": seconds,
            "bot_s": self._bot.cpu_seconds() - self._bot0,
            "bench_s": time.process_time() - self._bench0,
            # Backends that ended meanwhile are missing: a lower bound.
            "postgres_s": sum(v - self._pg0.get(pid, 0.0) for pid, v in pg1.items()),
        }
        machine = _machine_busy() - self._machine0
        used["others_s"] = max(0.0, machine - used["bot_s"] - used["bench_s"] - used["postgres_s"])
        cores = psutil.cpu_count() or 1
        used["machine_busy"] = machine / seconds / cores if seconds > 0 else 0.0
        per = max(updates, 1)
        used["bot_ms_per_update"] = used["bot_s"] / per * 1000
        used["postgres_ms_per_update"] = used["postgres_s"] / per * 1000
        used["bot_busy"] = used["bot_s"] / seconds if seconds > 0 else 0.0
        return used


async def run_bot(
    procs: Processes,
    kind: Kind,
    db_url: str,
    plan: LoadPlan,
    *,
    first_id: int,
    latency_rate: float | None,
    echo_admin_presses: int = 0,
    log: Any = print,
) -> BotRun:
    """Start one bot, measure throughput (closed loop), then latency (open loop) on the same
    process, then its peak RSS; stop it."""
    target = Target.OURS if kind in (Kind.OURS, Kind.OURS_NO_UVLOOP) else Target.ECHO
    await drop_outbox_backlog(db_url)
    async with running_fake() as fake:
        bot = await procs.start(kind, bot_env(fake, db_url))
        try:
            startup = await wait_started(fake, bot)
            startup_cpu = bot.cpu_seconds()
            log(
                f"  {kind.value}: polling {startup:.2f}s after launch, {startup_cpu:.2f}s of CPU "
                f"(pid {bot.pid})"
            )
            meter = CpuMeter(bot, db_url)
            people = People(
                fake, target, first_id=first_id, step_timeout=plan.step_timeout, admin_id=ADMINS[0]
            )
            people.echo_admin_budget = echo_admin_presses
            deadline = time.monotonic() + plan.max_seconds
            load = await closed_loop(
                people, sellers=plan.sellers, concurrency=plan.concurrency, deadline=deadline
            )
            cpu = meter.stop(load.updates)
            backlog = await _outbox_backlog(db_url) if target is Target.OURS else 0
            log(
                f"  {kind.value}: {load.updates} updates in {load.seconds:.1f}s = "
                f"{load.per_second:.0f}/s ({load.sellers_done}/{load.sellers} dialogs, "
                f"{load.admin_presses} approvals, {load.timeouts} timeouts); CPU: bot "
                f"{cpu['bot_s']:.1f}s ({cpu['bot_ms_per_update']:.2f} ms/update), PostgreSQL "
                f"{cpu['postgres_s']:.1f}s, benchmark {cpu['bench_s']:.1f}s"
                + (f"; outbox backlog {backlog} rows" if target is Target.OURS else "")
            )
            latency: dict[str, Any] | None = None
            errors = list(load.errors)
            if latency_rate is not None:
                rate = latency_rate if latency_rate > 0 else max(1.0, load.per_second / 2)
                latency_meter = CpuMeter(bot, db_url)
                latency = await _latency(fake, people, rate, plan, first_id + 500_000, target)
                errors += latency.pop("errors")
                latency["cpu"] = latency_meter.stop(int(latency["count"]))
                log(
                    f"  {kind.value}: latency at {rate:.0f} updates/s: "
                    f"p50 {latency['p50_ms']:.1f} ms, p95 {latency['p95_ms']:.1f} ms, "
                    f"p99 {latency['p99_ms']:.1f} ms (n={latency['count']}); bot busy "
                    f"{latency['cpu']['bot_busy']:.0%} of a core"
                )
            peak = bot.peak_rss() or 0
        finally:
            code = await bot.stop()
        if code not in (0, -15):
            errors_tail = bot.log_tail()
            log(f"  {kind.value}: exit code {code}; log tail:\n{errors_tail}")
        return BotRun(
            kind=kind.value,
            startup_s=startup,
            startup_cpu_s=startup_cpu,
            throughput={**_load_dict(load), "outbox_backlog": backlog},
            latency=latency,
            peak_rss_mb=peak / 2**20,
            cpu=cpu,
            exit_code=code,
            handled_by_fake=fake.handed_out,
            errors=errors,
        )


async def drop_outbox_backlog(db_url: str) -> None:
    """Each run starts with the same empty, analysed outbox and no pacing, so each bot is
    measured from the same start: the thousands of admin notices a run leaves behind would
    otherwise be the next bot's work."""
    conn = await asyncpg.connect(db_url)
    try:
        await conn.execute("DELETE FROM outbox")
        await conn.execute("DELETE FROM outbox_chats")
        await conn.execute("VACUUM ANALYZE outbox, outbox_chats")
    finally:
        await conn.close()


async def _outbox_backlog(db_url: str) -> int:
    """Outbox rows still pending: notices to admins pile up, as Telegram lets a bot send
    about one message a second to one chat, while sellers submit many ads a second."""
    conn = await asyncpg.connect(db_url)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM outbox WHERE status = 'pending'"))
    finally:
        await conn.close()


def _load_dict(load: LoadResult) -> dict[str, Any]:
    data = asdict(load)
    data["per_second"] = load.per_second
    data.pop("errors")
    return data


async def _latency(
    fake: BenchTelegram,
    throughput_people: People,
    rate: float,
    plan: LoadPlan,
    first_id: int,
    target: Target,
) -> dict[str, Any]:
    people = People(
        fake,
        target,
        first_id=first_id,
        step_timeout=plan.step_timeout,
        admin_id=throughput_people.admin_id,
    )
    # Enough sellers that one is always free even when answers take seconds: each seller
    # holds one step for one round trip.
    max_sellers = max(100, int(rate * 10))
    load = await open_loop(
        people,
        rate=rate,
        seconds=plan.latency_seconds,
        max_sellers=max_sellers,
        on_start=fake.start_latencies,
    )
    samples = fake.stop_latencies()
    result: dict[str, Any] = asdict(Percentiles.of(samples.values))
    result.update(
        rate=rate,
        seconds=load.seconds,
        unanswered=samples.unanswered,
        timeouts=load.timeouts,
        errors=load.errors,
    )
    return result


# -- /start at a steady pace, pacing on ----------------------------------------------------------


@dataclass(frozen=True)
class PacedStartPlan:
    users: int = 200  # distinct people, each sending /start in turn
    rate: float = 20.0  # updates a second: well inside Telegram's 30 a second overall
    seconds: float = 20.0


@dataclass
class PacedStartResult:
    kind: str
    startup_s: float
    startup_cpu_s: float  # as BotRun's
    users: int
    rate: float
    seconds: float
    count: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    unanswered: int
    timeouts: int
    bot_ms_per_update: float
    errors: list[str] = field(default_factory=list)


async def run_paced_start(
    procs: Processes,
    kind: Kind,
    db_url: str,
    plan: PacedStartPlan,
    *,
    first_id: int,
    log: Any = print,
) -> PacedStartResult:
    """`/start` from `plan.users` distinct people at `plan.rate` a second, on a bot of its own
    with PACE_CALLS on (as in production): the reply latency (hand-out to the first reply, as
    the latency phase measures it) of the cheapest update, where nothing but the bot's own
    pauses (garbage collection, a worker's turn, the pacer) can make a tail.

    Each person sends again only after `users / rate` seconds (10 s at 200 and 20/s), well
    after their last answer and within their chat's pace (a burst of 3, then one a second).
    """
    target = Target.OURS if kind in (Kind.OURS, Kind.OURS_NO_UVLOOP) else Target.ECHO
    await drop_outbox_backlog(db_url)
    async with running_fake() as fake:
        bot = await procs.start(kind, {**bot_env(fake, db_url), "PACE_CALLS": "on"})
        try:
            startup = await wait_started(fake, bot)
            startup_cpu = bot.cpu_seconds()
            people = [
                fake.user(first_id + n, f"Xaridor {n}", language_code="uz")
                for n in range(plan.users)
            ]
            total = int(plan.rate * plan.seconds)
            answers: list[asyncio.Future[Call]] = []
            errors: list[str] = []

            def answered(call: Call) -> bool:
                if target is Target.OURS:
                    return "Ассалому" in text_of(call)
                return call.method in SEND_METHODS

            meter = CpuMeter(bot, db_url)
            fake.start_latencies()
            loop = asyncio.get_running_loop()
            began = loop.time()
            for k in range(total):
                delay = began + k / plan.rate - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                person = people[k % len(people)]
                answers.append(fake.expect(person.id, answered))
                await person.send("/start")
            timeouts = 0
            if answers:
                _, late = await asyncio.wait(answers, timeout=STEP_TIMEOUT)
                timeouts = len(late)
                for future in late:
                    future.cancel()
                if late:
                    errors.append(f"{len(late)} /start not answered within {STEP_TIMEOUT:.0f}s")
            samples = fake.stop_latencies()
            cpu = meter.stop(total)
        finally:
            code = await bot.stop()
        if code not in (0, -15):
            errors.append(f"exit code {code}")
            log(f"  {kind.value}: exit code {code}; log tail:\n{bot.log_tail()}")
    shares = Percentiles.of(samples.values)
    result = PacedStartResult(
        kind=kind.value,
        startup_s=startup,
        startup_cpu_s=startup_cpu,
        users=plan.users,
        rate=plan.rate,
        seconds=plan.seconds,
        count=shares.count,
        p50_ms=shares.p50_ms,
        p95_ms=shares.p95_ms,
        p99_ms=shares.p99_ms,
        max_ms=shares.max_ms,
        unanswered=samples.unanswered,
        timeouts=timeouts,
        bot_ms_per_update=cpu["bot_ms_per_update"],
        errors=errors,
    )
    log(
        f"  {kind.value}: /start at {plan.rate:.0f}/s, pacing on: p50 {result.p50_ms:.1f} ms, "
        f"p95 {result.p95_ms:.1f} ms, p99 {result.p99_ms:.1f} ms, max {result.max_ms:.1f} ms "
        f"(n={result.count}, {result.unanswered} unanswered); polling {startup:.2f}s after launch, "
        f"{startup_cpu:.2f}s of CPU"
    )
    return result


# -- the outbox ----------------------------------------------------------------------------------


@dataclass
class OutboxResult:
    notices: int
    chats: int
    seconds_to_drain: float
    sent_ok: int
    too_many_requests: int
    too_many_by_chat_kind: dict[str, int]
    other_errors: int
    rows: dict[str, int]
    overall_rate: float
    max_overall_1s: int
    max_per_chat_1s: int
    max_per_chat_10s: int
    max_channel_60s: int
    startup_s: float
    peak_rss_mb: float


def _max_in_window(sends: Sequence[Send], span: float) -> int:
    """The most messages (by cost) in any window of `span` seconds (half-open)."""
    best = total = 0
    start = 0
    for end, send in enumerate(sends):
        total += send.cost
        while sends[start].at <= send.at - span:
            total -= sends[start].cost
            start += 1
        best = max(best, total)
        del end
    return best


async def run_outbox(
    procs: Processes, db_url: str, *, notices: int, log: Any = print
) -> OutboxResult:
    """The real worker, real limits, 2,000 notices at once; the fake answers 429 to any send
    over Telegram's limits (`enforce_limits`), and every send is timed."""
    channel_posts = min(20, max(1, notices // 100))
    multi_chats = max(1, notices * 9 // 400)  # about 9% of the rows: 4 each to a few chats
    singles = notices - channel_posts - multi_chats * 4
    if singles < 0:
        msg = "--notices is too small"
        raise ValueError(msg)
    await drop_outbox_backlog(db_url)
    conn = await asyncpg.connect(db_url)
    async with running_fake() as fake:
        try:
            # Seeded seller n owns ad n (one ad each in the first 100,000): notices go to them.
            published = list(range(1, singles + 1))
            multi = list(range(singles + 1, singles + multi_chats + 1))
            reposted = list(
                range(singles + multi_chats + 1, singles + multi_chats + channel_posts + 1)
            )
            owners: dict[int, int] = {
                r["id"]: r["owner_id"]
                for r in await conn.fetch(
                    "SELECT id, owner_id FROM ads WHERE id = ANY($1::bigint[])",
                    published + multi + reposted,
                )
            }
            if len(owners) != len(published) + len(multi) + len(reposted):
                msg = "the outbox phase needs the seeded ads (seed at least --notices ads)"
                raise RuntimeError(msg)
            for ad_id in published + multi:
                fake.user(owners[ad_id], f"Sotuvchi {owners[ad_id]}")
            await conn.executemany(
                "INSERT INTO ad_posts (ad_id, chat_id, message_id) VALUES ($1, $2, $3) "
                "ON CONFLICT DO NOTHING",
                [(ad_id, CHANNEL_ID, 100_000 + ad_id) for ad_id in published],
            )
            for ad_id in reposted:  # the fake must know the photo's file_id
                file_id, unique_id = fake.add_file(fake_jpeg(800), kind="photo")
                await conn.execute(
                    "UPDATE ad_photos SET file_id = $2, file_unique_id = $3 WHERE ad_id = $1",
                    ad_id,
                    file_id,
                    unique_id,
                )
            fake.enforce_limits = True
            fake.record_sends = True

            bot = await procs.start(Kind.OURS, bot_env(fake, db_url))
            try:
                startup = await wait_started(fake, bot)
                rows = [(str(owners[a]), "owner_published", a) for a in published]
                rows += [(str(owners[a]), "owner_expired", a) for a in multi for _ in range(4)]
                rows += [(CHANNEL, "channel_repost", a) for a in reposted]
                # Queued the way the bot queues them (a row and its chat's due mark each), in
                # one transaction, as a burst of notices after a busy moment would be.
                queue = await connect(db_url)
                try:
                    async with queue.transaction():
                        first_row = await queue.fetchval(
                            "SELECT coalesce(max(id), 0) + 1 FROM outbox"
                        )
                        for chat, kind, ad_id in rows:
                            await enqueue(queue, chat, kind, ad_id=ad_id)
                finally:
                    await queue.close()
                began = time.monotonic()
                log(
                    f"  outbox: {len(rows)} notices queued ({len(published)} chats x1, "
                    f"{len(multi)} chats x4, {len(reposted)} channel reposts)"
                )
                # Telegram's 30/s is the floor for the whole batch; allow half again, plus
                # the channel's 20/minute for its posts.
                limit = len(rows) / 30 * 1.5 + 3 * len(reposted) + 60
                counts: dict[str, int] = {}
                while time.monotonic() - began < limit:
                    counts = {
                        r["status"]: r["n"]
                        for r in await conn.fetch(
                            "SELECT status, count(*) AS n FROM outbox WHERE id >= $1 "
                            "GROUP BY status",
                            first_row,
                        )
                    }
                    if not counts.get("pending"):
                        break
                    await asyncio.sleep(0.5)
                drained = time.monotonic() - began
                peak = bot.peak_rss() or 0
            finally:
                await bot.stop()
        finally:
            await conn.close()
        sends = sorted((s for s in fake.sends if s.at >= began), key=lambda s: s.at)
    ok = [s for s in sends if s.status == 200]
    limited = sum(1 for s in sends if s.status == 429)
    per_chat: dict[int | None, list[Send]] = defaultdict(list)
    for send in ok:
        per_chat[send.chat].append(send)
    private = [v for k, v in per_chat.items() if k is not None and k > 0]
    channel = per_chat.get(CHANNEL_ID, [])
    span = ok[-1].at - ok[0].at if len(ok) > 1 else 0.0
    result = OutboxResult(
        notices=len(rows),
        chats=len(per_chat),
        seconds_to_drain=drained,
        sent_ok=sum(s.cost for s in ok),
        too_many_requests=limited,
        too_many_by_chat_kind={
            "private": sum(1 for s in sends if s.status == 429 and (s.chat or 0) > 0),
            "channel": sum(1 for s in sends if s.status == 429 and (s.chat or 0) < 0),
        },
        other_errors=len(sends) - len(ok) - limited,
        rows=counts,
        overall_rate=(len(ok) - 1) / span if span > 0 else 0.0,
        max_overall_1s=_max_in_window(ok, 1.0),
        max_per_chat_1s=max((_max_in_window(v, 1.0) for v in private), default=0),
        max_per_chat_10s=max((_max_in_window(v, 10.0) for v in private), default=0),
        max_channel_60s=_max_in_window(channel, 60.0),
        startup_s=startup,
        peak_rss_mb=peak / 2**20,
    )
    log(
        f"  outbox: {result.sent_ok} sent in {drained:.1f}s, {result.overall_rate:.1f}/s overall, "
        f"{limited} answered 429, rows {counts}"
    )
    return result


# -- the repost pick -----------------------------------------------------------------------------


@dataclass
class PickResult:
    ads: int
    sellers: int
    seed_seconds: float
    runs: int
    repost_median_ms: float
    repost_p95_ms: float
    query_median_ms: float
    query_p95_ms: float
    plan: list[str]


async def run_pick(
    db_url: str, *, total_ads: int, sellers: int, runs: int, log: Any = print
) -> PickResult:
    conn = await asyncpg.connect(db_url)
    try:
        have = int(await conn.fetchval("SELECT count(*) FROM ads WHERE status = 'published'"))
        began = time.monotonic()
        if total_ads > have:
            log(f"  pick: adding {total_ads - have:,} published ads over {sellers:,} sellers")
            await seed_published_ads(conn, total_ads - have, sellers=sellers, photos=False)
        seeded = time.monotonic() - began
        published = int(await conn.fetchval("SELECT count(*) FROM ads WHERE status = 'published'"))
        live_sellers = int(await conn.fetchval("SELECT count(*) FROM users WHERE live_ads > 0"))
    finally:
        await conn.close()

    interval = 1800.0
    pool = await create_pool(db_url, min_size=1, max_size=2)
    try:
        await db_jobs.ensure(pool, REPOST_JOB, interval)
        listings = Listings(
            pool, channel=CHANNEL, admin_ids=(), repost_interval=interval, sold_check_interval=3600
        )
        repost_times: list[float] = []
        for _ in range(runs):
            await pool.execute(
                "UPDATE jobs SET next_run_at = now() - interval '1 second' WHERE name = $1",
                REPOST_JOB,
            )
            # No worker sends here: the last pick's repost is marked gone out, as the worker
            # would, or the job skips every turn after the first (it never piles reposts up).
            await pool.execute(
                "UPDATE outbox SET status = 'sent', done_at = now() "
                "WHERE kind = 'channel_repost' AND status = 'pending'"
            )
            started = time.perf_counter()
            picked = await listings.repost()
            repost_times.append(time.perf_counter() - started)
            if picked is None:
                msg = "the repost pick found nothing to repost"
                raise RuntimeError(msg)
        query_times: list[float] = []
        async with pool.acquire() as conn2:
            now = await conn2.fetchval("SELECT now()")
            shown_before = now - timedelta(seconds=interval * RECENT_INTERVALS)
            for _ in range(runs):
                started = time.perf_counter()
                await db_ads.repost_candidates(conn2, shown_before=shown_before, exclude=None)
                query_times.append(time.perf_counter() - started)
            plan_rows = await conn2.fetch(
                "EXPLAIN (ANALYZE, BUFFERS) " + db_ads.ROTATION_PICK, shown_before, None, 10
            )
    finally:
        await pool.close()
    result = PickResult(
        ads=published,
        sellers=live_sellers,
        seed_seconds=seeded,
        runs=runs,
        repost_median_ms=statistics.median(repost_times) * 1000,
        repost_p95_ms=Percentiles.of(repost_times).p95_ms,
        query_median_ms=statistics.median(query_times) * 1000,
        query_p95_ms=Percentiles.of(query_times).p95_ms,
        plan=[str(r[0]) for r in plan_rows],
    )
    log(
        f"  pick: {published:,} published ads, {live_sellers:,} sellers: ads.repost median "
        f"{result.repost_median_ms:.2f} ms, ROTATION_PICK median {result.query_median_ms:.2f} ms"
    )
    return result
