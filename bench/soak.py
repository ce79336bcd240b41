"""`uv run python -m bench.soak`: the real bot under N minutes of mixed load and injected faults.

One bot process (`python -m vodiy_bozor run`, as the other phases start it) talks to the
benchmark's fake Bot API with Telegram's limits switched on, while the fake also answers a
steady small share of every method's calls with a 429 (`retry_after` 1-5 s), a 5xx, a connection
closed before or after performing the call, or an answer held back past the client's timeout,
drawn from `random.Random(--seed)` (`bench.fakeapi.RandomFaults`). Faults start once the bot
polls; its start-up is not under test here.

The people, `--people` of them busy at once out of a population of `--population`, each
reading the bot's answer and thinking for a few seconds before the next step:

- sellers who go through the whole ad dialog and submit (one photo or an album of 2-4), at
  `--ads-per-minute`: the channel takes 20 messages a minute and an album counts each photo, so
  more ads than that would only measure a queue growing for ever;
- sellers who start the dialog and leave it half-way; buyers who send /start and some text;
  presses of old or forged buttons;
- the two admins, each approving the cards the outbox brings them (one admin per ad);
- owners answering "has it sold?" (sold, still selling, remove) when it comes.

Then the load stops and the run drains (people still answer): the admins' cards, the channel
posts and the owners' notices of the last ads go out. Reported, printed and written to
bench/results/soak-<timestamp>.json (and soak-latest.json):

- the bot's RSS (VmRSS, sampled every `SAMPLE_EVERY` s) after a warm-up (the first 20% of the
  load, at least 30 s) and its growth from there to the end: target <= 10 MB;
- that nothing was lost: updates handed out and never answered, submitted ads without a card
  at each admin, approved ads without exactly one first post in the channel or without their
  owner's "published" notice, duplicate first posts, outbox rows failed or still pending; a
  first post whose outcome the bot could not know (the fake dropped the connection) is looked
  for in the channel, and only one the probe could not decide is allowed, as the README's
  "When Telegram refuses, or leaves doubt" says: marked unknown, every admin told;
- faults injected by kind, 429s seen, the bot's log lines with ERROR or a Traceback;
- throughput and the answer latency (hand-out of an update to the first reply in its chat).

The exit code is 1 when a target is missed or anything was lost, so it can run as a check.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import contextlib
import io
import random
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import asyncpg

from bench.database import BenchDatabase
from bench.fakeapi import REPLY_METHODS, BenchTelegram, FaultRates, RandomFaults, text_of
from bench.load import APPROVE_LABEL, DESCRIPTION
from bench.phases import ADMINS, CHANNEL_ID, Percentiles, bot_env, running_fake, wait_started
from bench.procs import BotProcess, Kind, Processes, clean_env
from bench.report import SoakReport
from tests.fake_telegram import BotMessage, Call, Person

RESULTS = Path(__file__).resolve().parent / "results"
SAMPLE_EVERY = 2.0  # seconds between two RSS samples
LOST_AFTER = 90.0  # seconds after which an unanswered update no longer counts as on its way
FIRST_PERSON = 40_000_000  # outside the other phases' ids and the admins'

# The bot's words the people and the checks look for (texts/uz_cyrl.ftl, the language of a
# Telegram user whose client says "uz").
CARD = re.compile(r"Эълон #(\d+) ·")
PUBLISHED = re.compile(r"Эълонингиз \(#(\d+)\) каналга чиқди")
POST_UNKNOWN = re.compile(r"Эълон #(\d+): .* каналга юборилаётганда")
REPOST_MARK = "Ҳали сотилмади"
SOLD_QUESTION = "сотилдими?"
SOLD_ANSWERS = ("✅ Сотилди", "🔁 Ҳали сотувда", "🗑 Олиб ташлаш")
TOKEN = re.compile(r"S(\d+)X(\d+)")  # in each soak ad's description: who, which ad
RANDOM_TEXTS = (
    "Салом",
    "нархи қанча?",
    "iPhone 13 борми?",
    "Фарғонада уй сотиладими",
    "ok",
    "?",
    "Assalomu alaykum, mashina kerak",
    "Цена?",
)
Act = Callable[[], Awaitable[Any]]  # one person's action, taken when the step starts
FORGED_PRESSES = ("bench:old", "x", "mod1:ok:1", "sold1:s:999999")


@dataclass(frozen=True)
class SoakPlan:
    minutes: float
    people: int
    population: int
    ads_per_minute: float
    think: tuple[float, float]
    seed: int
    rates: FaultRates
    repost_interval: int
    sold_check_interval: int
    drain_seconds: float
    step_timeout: float = 150.0  # longer than a late answer (60 s) and the retries after it

    @property
    def load_seconds(self) -> float:
        return self.minutes * 60

    @property
    def warmup_seconds(self) -> float:
        return max(30.0, 0.2 * self.load_seconds)


@dataclass
class Ledger:
    """What the fake saw, as it happened (`BenchTelegram.observers`)."""

    calls: int = 0
    too_many_seen: int = 0
    by_status: Counter[int] = field(default_factory=Counter)
    cards: set[tuple[int, int]] = field(default_factory=set)  # (admin, ad id)
    doubt_told: set[tuple[int, int]] = field(default_factory=set)  # (admin, ad id)
    published_told: Counter[tuple[int, int]] = field(default_factory=Counter)  # (chat, ad id)
    first_posts: Counter[str] = field(default_factory=Counter)  # by token
    reposts: Counter[str] = field(default_factory=Counter)
    sold_questions: int = 0
    last_reply_at: dict[int, float] = field(default_factory=dict)  # chat -> its latest message


class People:
    """The soak's people: lanes that each take an idle person through one session at a time,
    the admins, and the owners answering "has it sold?"."""

    def __init__(self, fake: BenchTelegram, plan: SoakPlan) -> None:
        self.fake = fake
        self.plan = plan
        self.random = random.Random(plan.seed + 1)  # the people's choices; the faults have theirs
        self.ledger = Ledger()
        self.idle = list(range(FIRST_PERSON, FIRST_PERSON + plan.population))
        self.sessions: Counter[str] = Counter()
        self.steps = 0
        self.timeouts = 0
        self.errors: list[str] = []
        self.submitted: dict[str, int] = {}  # token -> person
        # People who left the ad dialog half-way: the bot asks them its current question again
        # on "new ad", so they first type /cancel, as a person who wants to start over would.
        self.in_dialog: set[int] = set()
        self.approvals = 0
        self.owner_answers: Counter[str] = Counter()
        self._ads_made = 0
        self._allowance = 1.0
        self._allowance_at = time.monotonic()
        self._admin_queues: dict[int, asyncio.Queue[tuple[int, int]]] = {
            admin: asyncio.Queue() for admin in ADMINS
        }
        self._tasks: set[asyncio.Task[None]] = set()
        fake.observers.append(self._observe)

    # -- what the fake saw ---------------------------------------------------------------------

    def _observe(self, call: Call) -> None:
        ledger = self.ledger
        ledger.calls += 1
        ledger.by_status[call.status] += 1
        if call.status == 429:
            ledger.too_many_seen += 1
        if not call.ok or call.method not in REPLY_METHODS:
            return
        if call.method.startswith("edit"):
            chat = self.fake._chat_key(call.params.get("chat_id"))
            if chat is not None:
                ledger.last_reply_at[chat] = call.at
            return
        chat = self.fake._chat_key(call.params.get("chat_id"))
        if chat is None:
            return
        ledger.last_reply_at[chat] = call.at
        text = text_of(call)
        if chat == CHANNEL_ID:
            found = TOKEN.search(text)
            if found is not None:
                posts = ledger.reposts if REPOST_MARK in text else ledger.first_posts
                posts[found.group(0)] += 1
            return
        if chat in self._admin_queues:
            card = CARD.search(text)
            if card is not None and call.method == "sendMessage":
                ad_id = int(card.group(1))
                ledger.cards.add((chat, ad_id))
                if _has_button(call, APPROVE_LABEL) and ADMINS[ad_id % len(ADMINS)] == chat:
                    self._admin_queues[chat].put_nowait((int(call.result["message_id"]), ad_id))
            unknown = POST_UNKNOWN.search(text)
            if unknown is not None:
                ledger.doubt_told.add((chat, int(unknown.group(1))))
            return
        published = PUBLISHED.search(text)
        if published is not None:
            ledger.published_told[(chat, int(published.group(1)))] += 1
        if SOLD_QUESTION in text and _has_button(call, SOLD_ANSWERS[0]):
            ledger.sold_questions += 1
            self._spawn(self._owner_answers(chat, int(call.result["message_id"])))

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- one step: act, then wait for the answer that ends it ----------------------------------

    def _error(self, message: str) -> None:
        if len(self.errors) < 30:
            self.errors.append(message)

    async def _step(
        self, person: Person, what: str, act: Act, done: Callable[[Call], bool]
    ) -> bool:
        answered = self.fake.expect(person.id, done)
        try:
            await act()
            await asyncio.wait_for(answered, self.plan.step_timeout)
        except TimeoutError:
            self.timeouts += 1
            messages = self.fake.bot_messages(person.id)
            last = messages[-1].content[:70].replace("\n", " ") if messages else ""
            self._error(
                f"user {person.id}: no answer to {what!r} in {self.plan.step_timeout:.0f}s "
                f"(the bot's last message there: {last!r})"
            )
            return False
        except AssertionError as error:  # the people API could not find the button
            answered.cancel()
            self._error(f"user {person.id}: {error}")
            return False
        self.steps += 1
        return True

    async def _think(self) -> None:
        await asyncio.sleep(self.random.uniform(*self.plan.think))

    def _person(self, user_id: int) -> Person:
        return self.fake.user(user_id, f"Харидор {user_id}", language_code="uz")

    # -- sessions ------------------------------------------------------------------------------

    async def lane(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            index = self.random.randrange(len(self.idle))
            self.idle[index], self.idle[-1] = self.idle[-1], self.idle[index]
            user_id = self.idle.pop()
            try:
                person = self._person(user_id)
                if self._may_submit():
                    await self._seller(person, stop, submit=True)
                else:
                    roll = self.random.random()
                    if roll < 0.35:
                        await self._seller(person, stop, submit=False)
                    elif roll < 0.85:
                        await self._buyer(person, stop)
                    else:
                        await self._forged_press(person)
            finally:
                self.idle.append(user_id)
            await self._think()

    def _may_submit(self) -> bool:
        """Ads at `ads_per_minute` on average (a token bucket of two)."""
        now = time.monotonic()
        rate = self.plan.ads_per_minute / 60
        self._allowance = min(2.0, self._allowance + (now - self._allowance_at) * rate)
        self._allowance_at = now
        if self._allowance >= 1:
            self._allowance -= 1
            return True
        return False

    async def _seller(self, person: Person, stop: asyncio.Event, *, submit: bool) -> None:
        self._ads_made += 1
        token = f"S{person.id}X{self._ads_made}"
        photos = 1 if self.random.random() < 0.5 else self.random.randint(2, 4)
        description = f"{DESCRIPTION} Код {token}."
        steps: list[tuple[str, Act, str]] = [
            ("/start", lambda: person.send("/start"), "Ассалому"),
            ("new ad", lambda: person.send("📝 Эълон бериш"), "1/7"),
            ("category", lambda: person.press("📱 Телефонлар"), "2/7"),
            (
                f"{photos} photos",
                (lambda: person.send_photo()) if photos == 1 else lambda: person.send_album(photos),
                f"{photos} та расм қабул қилинди",
            ),
            ("photos done", lambda: person.press("✅ Тайёр"), "3/7"),
            ("description", lambda: person.send(description), "4/7"),
            ("price", lambda: person.send("12,5 млн"), "5/7"),
            ("region", lambda: person.press("Фарғона"), "Туман"),
            ("district", lambda: person.press("⏭ Ўтказиб юбориш"), "6/7"),
            ("phone", lambda: person.send("90 123-45-67"), "7/7"),
            ("submit", lambda: person.press("✅ Юбориш"), "админларга юборилди"),
        ]
        if person.id in self.in_dialog:
            # "Эълон бекор қилинди", or "Бекор қиладиган ҳеч нарса йўқ" if the dialog ended
            # while the person was not looking (a submit whose confirmation never came).
            steps.insert(1, ("/cancel", partial(person.send, "/cancel"), "екор қил"))
        last = len(steps) if submit else self.random.randint(3, len(steps) - 2)
        self.sessions["seller (submits)" if submit else "seller (leaves half-way)"] += 1
        for index, (what, act, marker) in enumerate(steps[:last]):
            if index and stop.is_set():
                return
            if not await self._step(person, what, act, _contains(marker)):
                return
            if what == "/cancel":
                self.in_dialog.discard(person.id)
            elif what == "new ad":
                self.in_dialog.add(person.id)
            if index + 1 < last:
                await self._think()
        if submit:
            self.in_dialog.discard(person.id)
            self.submitted[token] = person.id

    async def _buyer(self, person: Person, stop: asyncio.Event) -> None:
        self.sessions["buyer"] += 1
        if not await self._step(
            person, "/start", lambda: person.send("/start"), _contains("Ассалому")
        ):
            return
        for _ in range(self.random.randint(1, 3)):
            if stop.is_set():
                return
            await self._think()
            text = self.random.choice(RANDOM_TEXTS)
            if not await self._step(person, text, partial(person.send, text), _any_reply):
                return

    async def _forged_press(self, person: Person) -> None:
        self.sessions["old or forged button"] += 1
        data = self.random.choice(FORGED_PRESSES)
        act = partial(person.press_callback, data)
        await self._step(person, f"press {data}", act, _callback_answer)

    async def _owner_answers(self, chat: int, message_id: int) -> None:
        await self._think()
        label = self.random.choices(SOLD_ANSWERS, weights=(4, 4, 2))[0]
        person = self._person(chat)
        message = BotMessage(self.fake, chat, message_id)
        act = partial(person.press, label, message=message)
        if await self._step(person, label, act, _callback_answer):
            self.owner_answers[label] += 1

    async def admin(self, admin_id: int) -> None:
        """Approves, one by one, the cards the outbox brings this admin for their ads."""
        queue = self._admin_queues[admin_id]
        person = self.fake.user(admin_id, "Admin", language_code="uz")
        while True:
            message_id, ad_id = await queue.get()
            await asyncio.sleep(self.random.uniform(0.5, 2.0))
            view = BotMessage(self.fake, admin_id, message_id)
            act = partial(person.press, APPROVE_LABEL, message=view)
            if await self._step(person, f"approve #{ad_id}", act, _callback_answer):
                self.approvals += 1

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


def _contains(marker: str) -> Callable[[Call], bool]:
    return lambda call: marker in text_of(call)


def _any_reply(call: Call) -> bool:
    return call.method in REPLY_METHODS


def _callback_answer(call: Call) -> bool:
    return call.method == "answerCallbackQuery"


def _has_button(call: Call, label: str) -> bool:
    result = call.result
    if not isinstance(result, dict):
        return False
    rows = (result.get("reply_markup") or {}).get("inline_keyboard") or []
    return any(button.get("text") == label for row in rows for button in row)


# -- the run -------------------------------------------------------------------------------------


@dataclass
class RssSamples:
    values: list[tuple[float, int]] = field(default_factory=list)  # (seconds since start, bytes)

    def around(self, at: float, span: float = 10.0) -> float | None:
        """The median RSS (MB) of the samples in the `span` seconds up to `at`."""
        near = [v for t, v in self.values if at - span <= t <= at]
        return statistics.median(near) / 2**20 if near else None


async def sample_rss(bot: BotProcess, samples: RssSamples, began: float) -> None:
    while True:
        rss = bot.rss()
        if rss is not None:
            samples.values.append((time.monotonic() - began, rss))
        await asyncio.sleep(SAMPLE_EVERY)


def bot_errors(log_path: Path) -> list[str]:
    """The bot's log lines at ERROR (or CRITICAL) and the first line of each traceback."""
    try:
        lines = log_path.read_text(errors="replace").splitlines()
    except OSError:
        return []
    found = []
    for index, line in enumerate(lines):
        if " ERROR " in line or " CRITICAL " in line:
            found.append(line)
        elif line.startswith("Traceback"):
            # The exception itself is the traceback's last line: the first unindented one.
            tail = next((x for x in lines[index + 1 :] if x and not x.startswith(" ")), "")
            found.append(f"Traceback: {tail}")
    return found


async def run(plan: SoakPlan, out: Path) -> int:
    started_at = datetime.now(UTC)
    began = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="vodiy-soak-"))
    procs = Processes(workdir, clean_env({}))
    atexit.register(procs.kill_all)
    report = SoakReport(started_at=started_at, plan=_plan_dict(plan), load=_uptime())
    try:
        async with BenchDatabase() as db, running_fake() as fake:
            report.database = db.where
            fake.enforce_limits = True
            env = bot_env(fake, db.url) | {
                "REPOST_INTERVAL": str(plan.repost_interval),
                "SOLD_CHECK_INTERVAL": str(plan.sold_check_interval),
                # As in production: the soak is about Telegram's limits and faults.
                "PACE_CALLS": "on",
            }
            bot = await procs.start(Kind.OURS, env)
            try:
                startup = await wait_started(fake, bot)
                print(f"bot polling {startup:.2f}s after launch (pid {bot.pid}); {db.where}")
                await _soak(fake, bot, db.url, plan, report)
            finally:
                report.exit_code = await bot.stop()
                report.bot_errors = bot_errors(bot.log_path)
                report.bot_log = _keep_log(bot, out, started_at)
    finally:
        await procs.close()
        shutil.rmtree(workdir, ignore_errors=True)
    report.seconds = time.monotonic() - began
    report.load_after = _uptime()
    print()
    print(report.table())
    paths = report.write(out)
    print(f"\nresults: {', '.join(str(p) for p in paths)}")
    return 0 if report.passed() else 1


async def _soak(
    fake: BenchTelegram, bot: BotProcess, db_url: str, plan: SoakPlan, report: SoakReport
) -> None:
    people = People(fake, plan)
    fake.random_faults = RandomFaults(plan.rates, plan.seed)
    fake.start_latencies()
    samples = RssSamples()
    load_began = time.monotonic()
    sampler = asyncio.create_task(sample_rss(bot, samples, load_began))
    admins = [asyncio.create_task(people.admin(a)) for a in ADMINS]
    stop = asyncio.Event()
    cpu0 = bot.cpu_seconds()
    handed0 = fake.handed_out
    lanes = [asyncio.create_task(people.lane(stop)) for _ in range(plan.people)]
    progress = asyncio.create_task(_progress(fake, people, load_began, plan))
    try:
        await asyncio.sleep(plan.load_seconds)
        stop.set()
        load_seconds = time.monotonic() - load_began
        handed = fake.handed_out - handed0
        print(f"load stopped after {load_seconds:.0f}s; finishing the steps under way")
        await asyncio.wait(lanes, timeout=plan.step_timeout + 10)
        drained = await _drain(fake, db_url, plan)
        end = time.monotonic() - load_began
    finally:
        for task in (*lanes, *admins, progress, sampler):
            task.cancel()
        await asyncio.gather(*lanes, *admins, progress, sampler, return_exceptions=True)
        await people.close()
        fake.random_faults = None
    open_updates = fake.unanswered()
    latencies = fake.stop_latencies()
    report.seconds_load = load_seconds
    report.seconds_drain = end - load_seconds
    report.drained = drained
    report.bot_cpu_s = bot.cpu_seconds() - cpu0
    warm = plan.warmup_seconds
    report.rss = {
        "samples": len(samples.values),
        "warmup_s": warm,
        "at_warmup_mb": samples.around(warm),
        "at_end_mb": samples.around(end),
        "max_mb": max(v for _, v in samples.values) / 2**20 if samples.values else None,
        "peak_hwm_mb": (bot.peak_rss() or 0) / 2**20,
        "series_mb": [(round(t, 1), round(v / 2**20, 1)) for t, v in samples.values[::5]],
    }
    report.throughput = {
        "updates_handed_out": handed,
        "updates_per_second": handed / load_seconds if load_seconds else 0.0,
        "replies": fake.replies,
        "steps_answered": people.steps,
        "sessions": dict(people.sessions),
        "ads_submitted": len(people.submitted),
        "approvals": people.approvals,
        "sold_questions": people.ledger.sold_questions,
        "owner_answers": dict(people.owner_answers),
    }
    report.latency = asdict(Percentiles.of(latencies.values))
    report.faults = {
        "injected": dict(fake.injected),
        "calls": people.ledger.calls,
        "429_seen": people.ledger.too_many_seen,
        "429_natural": people.ledger.too_many_seen - fake.injected.get("429", 0),
        "by_status": {str(k): v for k, v in sorted(people.ledger.by_status.items())},
    }
    report.lost = await _account(db_url, people, open_updates)
    report.step_timeouts = people.timeouts
    report.people_errors = people.errors


async def _progress(fake: BenchTelegram, people: People, began: float, plan: SoakPlan) -> None:
    while True:
        await asyncio.sleep(30)
        print(
            f"  {time.monotonic() - began:5.0f}s: {fake.handed_out} updates, "
            f"{len(people.submitted)} ads submitted, {people.approvals} approved, "
            f"{people.timeouts} step timeouts, faults {dict(fake.injected)}"
        )


async def _drain(fake: BenchTelegram, db_url: str, plan: SoakPlan) -> bool:
    """Wait until every update is answered, no ad is pending, and the rows the checks look at
    (cards, posts, notices) are out; False if `drain_seconds` was not enough."""
    deadline = time.monotonic() + plan.drain_seconds
    conn = await asyncpg.connect(db_url)
    try:
        while time.monotonic() < deadline:
            waiting = await conn.fetchval(
                "SELECT (SELECT count(*) FROM outbox WHERE status = 'pending' AND kind IN "
                "('admin_photos', 'admin_card', 'admin_card_update', 'channel_post', "
                "'owner_published', 'admin_post_unknown', 'channel_caption')) "
                "+ (SELECT count(*) FROM ads WHERE status = 'pending')"
            )
            now = time.monotonic()
            # An update still unanswered this long after it was handed out is lost, not late
            # (a late answer is held 60 s, then sent again): waiting longer changes nothing.
            if not waiting and all(now - at > LOST_AFTER for _, _, at, _ in fake.unanswered()):
                return True
            await asyncio.sleep(1.0)
        return False
    finally:
        await conn.close()


async def _account(
    db_url: str, people: People, open_updates: list[tuple[int, int, float, bool]]
) -> dict[str, Any]:
    """Everything that should have happened and did not, counted (0 everywhere: nothing lost)."""
    ledger = people.ledger
    conn = await asyncpg.connect(db_url)
    try:
        ads = await conn.fetch("SELECT id, owner_id, status, description FROM ads ORDER BY id")
        in_doubt = {
            int(r["ad_id"])
            for r in await conn.fetch(
                "SELECT ad_id FROM outbox WHERE kind = 'channel_post' AND status = 'unknown'"
            )
        }
        rows = {
            f"{r['kind']} {r['status']}": int(r["n"])
            for r in await conn.fetch(
                "SELECT kind, status, count(*) AS n FROM outbox GROUP BY kind, status ORDER BY 1, 2"
            )
        }
        failed = [
            f"{r['kind']} to {r['chat']}: {r['last_error']}"
            for r in await conn.fetch(
                "SELECT kind, chat, last_error FROM outbox WHERE status = 'failed' "
                "AND last_error <> 'nothing to send' ORDER BY id LIMIT 5"
            )
        ]
        failed_count = int(
            await conn.fetchval(
                "SELECT count(*) FROM outbox WHERE status = 'failed' "
                "AND last_error <> 'nothing to send'"
            )
        )
    finally:
        await conn.close()
    statuses = Counter(str(r["status"]) for r in ads)
    no_card = without_post = duplicates = not_told = doubt_untold = 0
    examples: list[str] = []

    def example(text: str) -> None:
        if len(examples) < 10:
            examples.append(text)

    tokens = set()
    for ad in ads:
        ad_id, owner, status = int(ad["id"]), int(ad["owner_id"]), str(ad["status"])
        found = TOKEN.search(str(ad["description"]))
        token = found.group(0) if found else ""
        tokens.add(token)
        missing = [a for a in ADMINS if (a, ad_id) not in ledger.cards]
        if missing:
            no_card += 1
            example(f"ad #{ad_id}: no card at admin(s) {missing}")
        if status in ("pending", "rejected"):
            continue
        posts = ledger.first_posts[token]
        if posts > 1:
            duplicates += 1
            example(f"ad #{ad_id}: {posts} first posts in the channel")
        if ad_id in in_doubt:
            # README, "When Telegram refuses, or leaves doubt": the probe could not decide, so
            # it was not sent again and every admin was told what to check.
            untold = [a for a in ADMINS if (a, ad_id) not in ledger.doubt_told]
            if untold:
                doubt_untold += 1
                example(f"ad #{ad_id}: post in doubt, admin(s) {untold} not told")
            continue
        if posts == 0:
            without_post += 1
            example(f"ad #{ad_id} ({status}): approved, no first post in the channel")
            continue
        if not ledger.published_told[(owner, ad_id)]:
            not_told += 1
            example(f"ad #{ad_id}: its owner {owner} was never told it was published")
    never_made = [t for t in people.submitted if t not in tokens]
    for token in never_made[:3]:
        example(f"{token}: the bot said 'sent to the admins', no ad in the database")
    pending_rows = sum(v for k, v in rows.items() if k.endswith(" pending"))
    # A press that waited longer than Telegram's window is not answered, by design
    # (bot/pacing.py), but what it asked for still happens: a message into its chat after it.
    stale = [u for u in open_updates if u[3] and ledger.last_reply_at.get(u[0], -1.0) >= u[2]]
    lost_updates = [u for u in open_updates if u not in stale]
    shown = [
        f"chat {chat}: update {update_id} ({'press' if query else 'message'}) never answered"
        for chat, update_id, _, query in lost_updates[:5]
    ]
    return {
        "updates_unanswered": len(lost_updates),
        "presses_followed_by_a_message_only": len(stale),
        "updates_unanswered_examples": shown,
        "submitted_but_no_ad": len(never_made),
        "ads_without_card_at_every_admin": no_card,
        "approved_without_first_post": without_post,
        "duplicate_first_posts": duplicates,
        "published_owner_not_told": not_told,
        "posts_in_doubt": len(in_doubt),
        "posts_in_doubt_with_a_copy": sum(
            1 for a in ads if int(a["id"]) in in_doubt and ledger.first_posts[_token(a)] > 0
        ),
        "posts_in_doubt_admins_not_told": doubt_untold,
        "outbox_failed": failed_count,
        "outbox_failed_examples": failed,
        "outbox_pending_at_end": pending_rows,
        "ads_by_status": dict(statuses),
        "first_posts": sum(ledger.first_posts.values()),
        "reposts": sum(ledger.reposts.values()),
        "outbox_rows": rows,
        "examples": examples,
    }


def _keep_log(bot: BotProcess, out: Path, started_at: datetime) -> str:
    """A copy of the bot's log next to the results (the run's folder is removed)."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"soak-{started_at:%Y%m%dT%H%M%SZ}-bot.log"
    with contextlib.suppress(OSError):
        shutil.copyfile(bot.log_path, path)
    return str(path)


def _token(ad: asyncpg.Record) -> str:
    found = TOKEN.search(str(ad["description"]))
    return found.group(0) if found else ""


def _uptime() -> str:
    with contextlib.suppress(OSError):
        return Path("/proc/loadavg").read_text().strip()
    return ""


def _plan_dict(plan: SoakPlan) -> dict[str, Any]:
    data = {k: getattr(plan, k) for k in plan.__dataclass_fields__ if k != "rates"}
    data["rates"] = {k: getattr(plan.rates, k) for k in plan.rates.__dataclass_fields__}
    data["warmup_seconds"] = plan.warmup_seconds
    return data


def parse_args(argv: list[str] | None) -> tuple[SoakPlan, Path]:
    parser = argparse.ArgumentParser(
        prog="python -m bench.soak", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("--minutes", type=float, default=None, help="length of the load (10)")
    parser.add_argument("--quick", action="store_true", help="a 1-minute run")
    parser.add_argument("--people", type=int, help="people busy at once (150; quick 60)")
    parser.add_argument("--population", type=int, default=3000, help="distinct people (3000)")
    parser.add_argument("--ads-per-minute", type=float, default=4.0, help="ads submitted (4)")
    parser.add_argument("--seed", type=int, default=1, help="seeds the faults and the people")
    parser.add_argument("--fault-scale", type=float, default=1.0, help="multiplies every rate")
    parser.add_argument("--repost-interval", type=int, default=60, help="REPOST_INTERVAL (60)")
    parser.add_argument("--sold-check-interval", type=int, default=120, help="seconds (120)")
    parser.add_argument("--drain", type=float, default=240.0, help="longest drain, s (240)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the JSON goes")
    args = parser.parse_args(argv)
    minutes = args.minutes if args.minutes is not None else (1.0 if args.quick else 10.0)
    people = args.people if args.people is not None else (60 if args.quick else 150)
    base = FaultRates()
    scale = args.fault_scale
    rates = FaultRates(
        too_many=base.too_many * scale,
        server_error=base.server_error * scale,
        drop_before=base.drop_before * scale,
        drop_after=base.drop_after * scale,
        late=base.late * scale,
    )
    plan = SoakPlan(
        minutes=minutes,
        people=people,
        population=max(args.population, people * 2),
        ads_per_minute=args.ads_per_minute,
        # A quick run is too short for a whole dialog at a reading pace.
        think=(2.0, 5.0) if args.quick else (4.0, 12.0),
        seed=args.seed,
        rates=rates,
        repost_interval=args.repost_interval,
        sold_check_interval=args.sold_check_interval,
        drain_seconds=args.drain,
    )
    return plan, args.out


def main(argv: list[str] | None = None) -> int:
    plan, out = parse_args(argv)
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)  # progress shows even when redirected
    loop = asyncio.new_event_loop()
    task = loop.create_task(run(plan, out))
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
