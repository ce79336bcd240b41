"""One ad matching 10,000 saved searches: announced at Telegram's pace, with no 429, while
other sellers' ads still reach the admins and the channel in their usual time.

    uv run python -m bench.fanout              # 10,000 buyers (about 7 minutes)
    uv run python -m bench.fanout --quick      # 1,000 buyers (about a minute)

On a fresh database (see bench/database.py for the server used) it seeds N buyers, each with
one saved search ("muzlatgich artel") that the fan-out ad matches: the first through the real
`db.search.add_saved_search`, the rest as copies of that row in one statement (checked with
`matching_saved_searches`). The real bot runs as a process (`python -m vodiy_bozor run`, its
calls paced as in production) against the benchmark's fake Bot API, which answers 429 to any
call over Telegram's limits (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits).

1. Before: three ordinary ads, one after another, each by a new seller going through the whole
   ad dialog (bench/load.py's DIALOG); an admin presses ✅ on each card as it arrives. Timed:
   the seller's last press ("submit") to the admin's card, and the admin's ✅ to the channel
   post.
2. The fan-out ad is stored with `Listings.submit` on the database (as the outbox phase of
   `python -m bench` does; its content matches the saved searches, the dialog's ads do not),
   and approved by the admin's ✅ on its card. Its channel post queues one notice per buyer.
3. `--during` seconds after that post, three more ordinary ads, timed as in 1.
4. Until every notice is sent (or `--max-seconds`): notices delivered, duplicates, the rate,
   the most in any second, their latency from the channel post, and every 429.

Prints a table with PASS/MISS per target, writes bench/results/fanout-<timestamp>.json and
bench/results/fanout-latest.json; exits 1 on a MISS.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import json
import os
import platform
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg

from bench.database import BenchDatabase
from bench.fakeapi import BenchTelegram, Send
from bench.load import APPROVE_LABEL, DIALOG, People, Target, is_card
from bench.phases import (
    ADMINS,
    CHANNEL,
    CHANNEL_ID,
    Percentiles,
    _max_in_window,
    bot_env,
    running_fake,
    wait_started,
)
from bench.procs import Kind, Processes, clean_env
from tests.fake_telegram import BotMessage, Call, fake_jpeg
from vodiy_bozor.db import saved_searches as db_saved_searches
from vodiy_bozor.db.pool import create_pool
from vodiy_bozor.delivery.outbox import OutboxTiming
from vodiy_bozor.models import AdContent, Category, Currency, Photo, Price, Region, SearchFilters
from vodiy_bozor.services.listings import Listings
from vodiy_bozor.text.fold import query_terms

RESULTS = Path(__file__).resolve().parent / "results"

FIRST_BUYER = 40_000_001
FANOUT_OWNER = 39_000_001
FIRST_SELLER = 38_000_001
QUERY = "muzlatgich artel"
FANOUT_DESCRIPTION = (
    "Muzlatgich Artel HD-345, ikki kamerali, No Frost. Holati a'lo, kafolati bor. "
    "Yetkazib berish mumkin."
)
# Telegram's overall limit, about 30 messages a second (https://core.telegram.org/bots/faq).
OVERALL_PER_S = 30
# The outbox lets bulk notices take at most this much of the overall budget (OutboxTiming
# .bulk_interval), leaving the rest to cards, posts and dialog answers: the notices' floor.
BULK_PER_S = round(1 / OutboxTiming().bulk_interval)
# "Within their usual time": no slower than the slowest of the same steps before the fan-out
# started, with some room for the noise of a shared 2-core machine.
SLACK_FACTOR = 2.0
SLACK_SECONDS = 1.0
STEP_TIMEOUT = 60.0
CHANNEL_POST_METHODS = frozenset({"sendPhoto", "sendMediaGroup", "sendMessage"})


@dataclass
class OrdinaryAd:
    when: str  # "before" or "during"
    submit_to_card_s: float | None = None
    approve_to_post_s: float | None = None
    dialog_s: float | None = None  # the seller's 11 steps, each after the bot's answer
    error: str | None = None
    # The dialog's start and the channel post, in seconds after the fan-out ad's channel post
    # (set once that is known): to line the 429s up with the dialogs.
    span_s: tuple[float, float] | None = None
    began: float = field(default=0.0, repr=False)
    ended: float = field(default=0.0, repr=False)


@dataclass
class FanoutResult:
    buyers: int
    matched: int
    queued: int
    approve_to_post_s: float
    submit_to_card_s: float
    delivered: int
    duplicates: int
    rows: dict[str, int]
    seconds_measured: float
    drained: bool
    rate_per_s: float
    max_overall_1s: int
    max_notices_1s: int
    estimated_total_s: float
    latency_s: dict[str, float]
    too_many_requests: int
    too_many_by_chat: dict[str, int]
    too_many_by_method: dict[str, int]
    # Each 429: seconds after the fan-out ad's channel post, method, whose chat.
    too_many_at: list[tuple[float, str, str]] = field(default_factory=list)
    # Every call into the admins' chats (seconds after the post, method, chat, status): a
    # private chat's pace can be checked against the 429s.
    admin_calls: list[tuple[float, str, int, int]] = field(default_factory=list)
    ordinary: list[OrdinaryAd] = field(default_factory=list)


# -- seeding ---------------------------------------------------------------------------------


async def seed_buyers(conn: asyncpg.Connection[Any], buyers: int) -> None:
    """Buyers FIRST_BUYER.., each with one saved search for QUERY; and the fan-out ad's owner."""
    await conn.execute(
        """
        INSERT INTO users (id, username, first_name, language_code, first_seen, last_seen)
        SELECT g, 'buyer' || g, 'Xaridor ' || g, (ARRAY['uz', 'ru', 'uz'])[1 + g % 3],
               now() - interval '30 days', now() - interval '1 day'
          FROM generate_series($1::bigint, $2::bigint) g
        UNION ALL SELECT $3, 'fanout_owner', 'Sotuvchi', 'uz', now(), now()
        """,
        FIRST_BUYER,
        FIRST_BUYER + buyers - 1,
        FANOUT_OWNER,
    )
    terms = query_terms(QUERY)
    first = await db_saved_searches.add_saved_search(
        conn, FIRST_BUYER, QUERY, terms, SearchFilters()
    )
    if first is None:
        msg = "add_saved_search refused the first buyer's search"
        raise RuntimeError(msg)
    # The same row for every other buyer: what add_saved_search stores for the same query
    # (its words settled against the lexicon, its key and tsquery), without 10,000 round trips.
    await conn.execute(
        """
        INSERT INTO saved_searches (buyer_id, query, terms, keys, match, category, region,
                                    price_min, price_max, price_currency)
        SELECT g, s.query, s.terms, s.keys, s.match, s.category, s.region,
               s.price_min, s.price_max, s.price_currency
          FROM saved_searches s, generate_series($2::bigint, $3::bigint) g
         WHERE s.id = $1
        """,
        first,
        FIRST_BUYER + 1,
        FIRST_BUYER + buyers - 1,
    )
    await conn.execute("VACUUM ANALYZE users")
    await conn.execute("VACUUM ANALYZE saved_searches")


# -- one ordinary ad, through the dialog -----------------------------------------------------


def _is_channel_post(call: Call) -> bool:
    return call.method in CHANNEL_POST_METHODS


async def approve_card(fake: BenchTelegram, card: Call) -> float:
    """The admin presses ✅ on `card`; seconds from the press to the ad's channel post."""
    message = card.result
    assert isinstance(message, dict)
    admin = fake.user(ADMINS[0], "Admin")
    posted = fake.expect(CHANNEL_ID, _is_channel_post)
    pressed = time.monotonic()
    await admin.press(APPROVE_LABEL, message=BotMessage(fake, admin.id, int(message["message_id"])))
    post = await asyncio.wait_for(posted, STEP_TIMEOUT)
    return post.at - pressed


async def ordinary_ad(people: People, when: str) -> OrdinaryAd:
    """A new seller goes through the whole dialog; the admin approves the card."""
    fake = people.fake
    result = OrdinaryAd(when)
    person = people.new_seller()
    began = result.began = time.monotonic()
    for step in DIALOG[:-1]:
        if not await people.act(person, step):
            result.error = people.tally.errors[-1] if people.tally.errors else "a step failed"
            return result
    card = fake.expect(ADMINS[0], is_card)
    submitted = time.monotonic()
    if not await people.act(person, DIALOG[-1]):
        card.cancel()
        result.error = "no answer to submit"
        return result
    result.dialog_s = time.monotonic() - began
    try:
        arrived = await asyncio.wait_for(card, STEP_TIMEOUT)
        result.submit_to_card_s = arrived.at - submitted
        result.approve_to_post_s = await approve_card(fake, arrived)
        result.ended = time.monotonic()
    except TimeoutError:
        result.error = "no admin card or no channel post within the timeout"
    return result


# -- the run ---------------------------------------------------------------------------------


async def _notice_rows(conn: asyncpg.Connection[Any], ad_id: int) -> dict[str, int]:
    rows = await conn.fetch(
        "SELECT status, count(*) AS n FROM outbox WHERE kind = 'buyer_notice' AND ad_id = $1"
        " GROUP BY status",
        ad_id,
    )
    return {r["status"]: int(r["n"]) for r in rows}


async def run_fanout(
    db_url: str, procs: Processes, *, buyers: int, during: float, max_seconds: float
) -> FanoutResult:
    conn = await asyncpg.connect(db_url)
    pool = await create_pool(db_url, min_size=1, max_size=2)
    try:
        started = time.monotonic()
        await seed_buyers(conn, buyers)
        print(
            f"  seeded {buyers:,} buyers with a saved search in {time.monotonic() - started:.1f}s"
        )
        async with running_fake() as fake:
            for buyer in range(FIRST_BUYER, FIRST_BUYER + buyers):
                fake.user(buyer, f"Xaridor {buyer}")
            fake.user(FANOUT_OWNER, "Sotuvchi")
            fake.enforce_limits = True
            fake.record_sends = True
            fake.record_edits = True
            # Paced as in production (bench.phases turns pacing off to measure raw cost), and
            # no repost while we measure.
            env = {**bot_env(fake, db_url), "PACE_CALLS": "on", "REPOST_INTERVAL": "3600"}
            bot = await procs.start(Kind.OURS, env)
            try:
                startup = await wait_started(fake, bot)
                print(f"  bot polling {startup:.2f}s after launch (pid {bot.pid})")
                people = People(
                    fake,
                    Target.OURS,
                    first_id=FIRST_SELLER,
                    step_timeout=STEP_TIMEOUT,
                    admin_id=ADMINS[0],
                )
                ordinary: list[OrdinaryAd] = []
                for _ in range(3):
                    ordinary.append(await ordinary_ad(people, "before"))
                _print_ordinary(ordinary[-3:])

                # The fan-out ad, stored as the dialog's submit stores it.
                file_id, unique_id = fake.add_file(fake_jpeg(800), kind="photo")
                listings = Listings(
                    pool,
                    channel=CHANNEL,
                    admin_ids=ADMINS,
                    repost_interval=3600,
                    sold_check_interval=3 * 24 * 3600,
                )
                content = AdContent(
                    category=Category.APPLIANCES,
                    description=FANOUT_DESCRIPTION,
                    price=Price(4_500_000, Currency.UZS),
                    region=Region.FERGANA,
                    district=None,
                    phone="+998901234567",
                    photos=(Photo(file_id, unique_id),),
                )
                card = fake.expect(ADMINS[0], is_card)
                submitted = time.monotonic()
                ad_id = await listings.submit(FANOUT_OWNER, content)
                card_call = await asyncio.wait_for(card, STEP_TIMEOUT)
                submit_to_card = card_call.at - submitted
                async with conn.transaction():
                    matched = len(await db_saved_searches.matching_saved_searches(conn, ad_id))
                if matched != buyers:
                    msg = f"the fan-out ad matches {matched} saved searches, not {buyers}"
                    raise RuntimeError(msg)
                approve_to_post = await approve_card(fake, card_call)
                posted_at = time.monotonic()
                print(
                    f"  fan-out ad {ad_id}: card {submit_to_card:.2f}s after submit, channel "
                    f"post {approve_to_post:.2f}s after ✅; {matched:,} buyers match"
                )

                # Ordinary ads while the notices go out.
                await asyncio.sleep(max(0.0, posted_at + during - time.monotonic()))
                for _ in range(3):
                    ordinary.append(await ordinary_ad(people, "during"))
                _print_ordinary(ordinary[-3:])

                rows: dict[str, int] = {}
                while time.monotonic() - posted_at < max_seconds:
                    rows = await _notice_rows(conn, ad_id)
                    if sum(rows.values()) >= matched and not rows.get("pending"):
                        break
                    await asyncio.sleep(1.0)
                rows = await _notice_rows(conn, ad_id)
                measured = time.monotonic() - posted_at
            finally:
                code = await bot.stop()
                RESULTS.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(bot.log_path, RESULTS / "fanout-bot.log")
            if code not in (0, -15):
                print(f"  bot exit code {code}; log tail:\n{bot.log_tail()}")
            sends = sorted((s for s in fake.sends if s.at >= posted_at - 1.0), key=lambda s: s.at)
            limited = list(fake.too_many)
    finally:
        await pool.close()
        await conn.close()
    return _summarise(
        buyers=buyers,
        matched=matched,
        rows=rows,
        sends=sends,
        limited=limited,
        every=list(fake.sends),
        posted_at=posted_at,
        measured=measured,
        approve_to_post=approve_to_post,
        submit_to_card=submit_to_card,
        ordinary=ordinary,
    )


def _print_ordinary(ads: list[OrdinaryAd]) -> None:
    for ad in ads:
        if ad.error:
            print(f"  ordinary ad ({ad.when}): {ad.error}")
        else:
            print(
                f"  ordinary ad ({ad.when}): dialog {ad.dialog_s:.1f}s, card "
                f"{ad.submit_to_card_s:.2f}s after submit, channel post "
                f"{ad.approve_to_post_s:.2f}s after ✅"
            )


def _chat_kind(chat: int | None) -> str:
    if chat is None:
        return "unknown"
    if chat < 0:
        return "channel"
    if chat in ADMINS:
        return "admin"
    if FIRST_BUYER <= chat < FIRST_BUYER + 10_000_000:
        return "buyer"
    return "seller"


def _summarise(
    *,
    buyers: int,
    matched: int,
    rows: dict[str, int],
    sends: list[Send],
    limited: list[Send],
    every: list[Send],
    posted_at: float,
    measured: float,
    approve_to_post: float,
    submit_to_card: float,
    ordinary: list[OrdinaryAd],
) -> FanoutResult:
    for ad in ordinary:
        ad.span_s = (round(ad.began - posted_at, 3), round(ad.ended - posted_at, 3))
    ok = [s for s in sends if s.status == 200]
    notices = [s for s in ok if _chat_kind(s.chat) == "buyer"]
    per_buyer = Counter(s.chat for s in notices)
    delivered = len(per_buyer)
    span = notices[-1].at - notices[0].at if len(notices) > 1 else 0.0
    rate = (len(notices) - 1) / span if span > 0 else 0.0
    drained = not rows.get("pending") and sum(rows.values()) >= matched
    remaining = matched - delivered
    last = notices[-1].at - posted_at if notices else measured
    estimated = last if drained or rate <= 0 else last + remaining / rate
    latencies = [s.at - posted_at for s in notices]
    pct = Percentiles.of(latencies)
    return FanoutResult(
        buyers=buyers,
        matched=matched,
        queued=sum(rows.values()),
        approve_to_post_s=approve_to_post,
        submit_to_card_s=submit_to_card,
        delivered=delivered,
        duplicates=len(notices) - delivered,
        rows=rows,
        seconds_measured=measured,
        drained=drained,
        rate_per_s=rate,
        max_overall_1s=_max_in_window(ok, 1.0),
        max_notices_1s=_max_in_window(notices, 1.0),
        estimated_total_s=estimated,
        latency_s={
            "p50": pct.p50_ms / 1000,
            "p95": pct.p95_ms / 1000,
            "p99": pct.p99_ms / 1000,
            "max": pct.max_ms / 1000,
            "first": min(latencies, default=float("nan")),
        },
        too_many_requests=len(limited),
        too_many_by_chat=dict(Counter(_chat_kind(s.chat) for s in limited)),
        too_many_by_method=dict(Counter(s.method for s in limited)),
        admin_calls=[
            (round(s.at - posted_at, 3), s.method, s.chat or 0, s.status)
            for s in every
            if _chat_kind(s.chat) == "admin"
        ],
        too_many_at=[(round(s.at - posted_at, 3), s.method, _chat_kind(s.chat)) for s in limited],
        ordinary=ordinary,
    )


# -- targets and report ----------------------------------------------------------------------


def _usual(before: list[float], during: list[float]) -> tuple[float, bool | None]:
    """The bound for "within the usual time", and whether every value during the fan-out
    kept it."""
    if not before or not during:
        return float("nan"), None
    worst = max(before)
    bound = max(worst * SLACK_FACTOR, worst + SLACK_SECONDS)
    return bound, max(during) <= bound


def targets(result: FanoutResult) -> list[dict[str, Any]]:
    before = [a for a in result.ordinary if a.when == "before" and a.error is None]
    during = [a for a in result.ordinary if a.when == "during" and a.error is None]
    failed = [a for a in result.ordinary if a.error is not None]
    floor = result.matched / BULK_PER_S
    rows: list[dict[str, Any]] = [
        {
            "target": "every buyer gets the notice once (none lost, none twice)",
            "value": f"{result.delivered:,}/{result.matched:,} delivered, "
            f"{result.duplicates} twice"
            + ("" if result.drained else f" in the {result.seconds_measured:.0f}s measured"),
            "pass": result.duplicates == 0
            and (result.delivered == result.matched if result.drained else None),
        },
        {
            "target": f"at Telegram's pace: <= {OVERALL_PER_S} messages in any 1 s",
            "value": f"{result.rate_per_s:.1f}/s; max {result.max_overall_1s} in 1 s "
            f"({result.max_notices_1s} notices)",
            "pass": result.max_overall_1s <= OVERALL_PER_S,
        },
        {
            "target": f"all notices within 1.25 x the {floor:.0f}s floor",
            "value": f"{result.estimated_total_s:.0f}s"
            + ("" if result.drained else " (extrapolated)"),
            "pass": result.estimated_total_s <= floor * 1.25 + 10,
        },
        {
            "target": "no 429 from the fake Bot API",
            "value": result.too_many_requests,
            "pass": result.too_many_requests == 0,
        },
    ]
    for label, attr in (
        ("approval -> channel post", "approve_to_post_s"),
        ("submit -> admin card", "submit_to_card_s"),
    ):
        b = [float(getattr(a, attr)) for a in before]
        d = [float(getattr(a, attr)) for a in during]
        bound, ok = _usual(b, d)
        rows.append(
            {
                "target": f"{label} during the fan-out <= {bound:.2f}s (usual, with slack)",
                "value": "before "
                + ", ".join(f"{v:.2f}" for v in b)
                + "; during "
                + ", ".join(f"{v:.2f}" for v in d),
                "pass": False if failed else ok,
            }
        )
    return rows


def table(result: FanoutResult, rows: list[dict[str, Any]]) -> str:
    lat = result.latency_s
    lines = [
        f"fan-out: {result.matched:,} buyers matched, {result.queued:,} notices queued; "
        f"rows {result.rows}",
        f"  fan-out ad: card {result.submit_to_card_s:.2f}s after submit, channel post "
        f"{result.approve_to_post_s:.2f}s after approval",
        f"  notices: {result.delivered:,} delivered in {result.seconds_measured:.0f}s, "
        f"{result.rate_per_s:.1f}/s; latency from the channel post: first {lat['first']:.1f}s, "
        f"p50 {lat['p50']:.0f}s, p95 {lat['p95']:.0f}s, p99 {lat['p99']:.0f}s, "
        f"max {lat['max']:.0f}s",
        f"  429s: {result.too_many_requests} (by chat {result.too_many_by_chat}, "
        f"by method {result.too_many_by_method})",
        "",
    ]
    width = max(len(r["target"]) for r in rows)
    for r in rows:
        verdict = "n/a" if r["pass"] is None else ("PASS" if r["pass"] else "MISS")
        lines.append(f"{r['target']:<{width}}  {verdict:4}  {r['value']}")
    return "\n".join(lines)


def write(result: FanoutResult, rows: list[dict[str, Any]], extra: dict[str, Any]) -> list[Path]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = {**extra, "result": asdict(result), "targets": rows}
    text = json.dumps(data, indent=2, default=str, allow_nan=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    paths = [RESULTS / f"fanout-{stamp}.json", RESULTS / "fanout-latest.json"]
    for path in paths:
        path.write_text(text)
    return paths


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


async def run(args: argparse.Namespace) -> int:
    buyers = args.buyers or (1_000 if args.quick else 10_000)
    # Within about 8 minutes in all: past 420 s the rest is extrapolated from the rate.
    max_seconds = args.max_seconds or min(buyers / BULK_PER_S * 1.5 + 60, 600.0)
    during = args.during if args.during is not None else (10.0 if args.quick else 30.0)
    workdir = Path(tempfile.mkdtemp(prefix="vodiy-fanout-"))
    procs = Processes(workdir, clean_env({}))
    atexit.register(procs.kill_all)
    load_before = _load()
    began = time.monotonic()
    try:
        async with BenchDatabase() as db:
            print(f"database: {db.where}, {db.name}; load average {load_before}")
            result = await run_fanout(
                db.url, procs, buyers=buyers, during=during, max_seconds=max_seconds
            )
    finally:
        await procs.close()
        shutil.rmtree(workdir, ignore_errors=True)
    rows = targets(result)
    print()
    print(table(result, rows))
    load_after = _load()
    print(f"\nload average before {load_before}, after {load_after}")
    paths = write(
        result,
        rows,
        {
            "started_at": datetime.now(UTC).isoformat(),
            "seconds": time.monotonic() - began,
            "sizes": {"buyers": buyers, "during_s": during, "max_seconds": max_seconds},
            "machine": {
                "python": platform.python_version(),
                "platform": platform.platform(),
                "cpus": len(os.sched_getaffinity(0)),
                "load_before": load_before,
                "load_after": load_after,
            },
        },
    )
    print(f"results: {', '.join(str(p) for p in paths)}")
    return 1 if any(r["pass"] is False for r in rows) else 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.fanout", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="1,000 buyers")
    parser.add_argument("--buyers", type=int, help="buyers whose saved search matches (10000)")
    parser.add_argument(
        "--during", type=float, help="seconds after the fan-out ad's post to the next ads (30)"
    )
    parser.add_argument(
        "--max-seconds",
        type=float,
        help="stop measuring this long after the post and extrapolate (420, less if quick)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    loop = asyncio.new_event_loop()
    task = loop.create_task(run(args))
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, task.cancel)
    try:
        return loop.run_until_complete(task)
    except asyncio.CancelledError:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        loop.close()


if __name__ == "__main__":
    sys.exit(main())
