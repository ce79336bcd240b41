"""Simulated people: sellers who go through the whole ad dialog, and an admin who approves.

Every seller sends the same eleven updates, in order, each after the bot's answer to the one
before (a person reads the question before answering it):

    /start, the "new ad" menu button, a category button, a photo, "done", a description, a
    price, a region button, "skip district", a phone number, "submit".

Against our bot each step waits for the message that ends it (the next question); against the
echo bot, for the echo or the callback answer. Buttons are pressed by label on our bot's own
messages; the echo bot has no buttons, so the same presses are sent as callback queries with
placeholder data. Either way the bot receives the same stream of update kinds and contents.

Two ways to drive the load:
- closed loop (`closed_loop`): a fixed number of sellers at once, each starting its next step
  as soon as the last one is answered: the most the bot can handle (throughput);
- open loop (`open_loop`): steps are started at a fixed rate whatever the bot does, spread
  over many sellers: the latency a steady load sees.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import itertools
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from bench.fakeapi import BenchTelegram, text_of
from tests.fake_telegram import SEND_METHODS, BotMessage, Call, Person

DESCRIPTION = "Самсунг A52, 128 GB, қутиси ва зарядкаси бор. Ҳолати зўр, тирналмаган!"


@dataclass(frozen=True, slots=True)
class Step:
    kind: Literal["text", "photo", "press"]
    value: str  # the text sent, or the label of the button pressed
    marker: str  # a piece of our bot's message that ends this step


DIALOG: tuple[Step, ...] = (
    Step("text", "/start", "Ассалому"),
    Step("text", "📝 Эълон бериш", "1/7"),
    Step("press", "📱 Телефонлар", "2/7"),
    Step("photo", "", "расм қабул қилинди"),
    Step("press", "✅ Тайёр", "3/7"),
    Step("text", DESCRIPTION, "4/7"),
    Step("text", "12,5 млн", "5/7"),
    Step("press", "Фарғона", "Туман"),
    Step("press", "⏭ Ўтказиб юбориш", "6/7"),
    Step("text", "90 123-45-67", "7/7"),
    Step("press", "✅ Юбориш", "админларга юборилди"),
)
APPROVE_LABEL = "✅ Тасдиқлаш"


class Target(enum.Enum):
    OURS = "ours"
    ECHO = "echo"


@dataclass
class Tally:
    """What a load run did: steps answered, and what went wrong."""

    steps: int = 0
    admin_presses: int = 0
    sellers_done: int = 0
    timeouts: int = 0
    errors: list[str] = field(default_factory=list)
    # Seconds from queueing each step's update to the answer that ends the step, by step.
    step_seconds: dict[str, list[float]] = field(default_factory=dict)

    @property
    def updates(self) -> int:
        return self.steps + self.admin_presses

    def error(self, message: str) -> None:
        if len(self.errors) < 20:  # enough to diagnose, bounded
            self.errors.append(message)


class People:
    """The simulated people of one run against one bot."""

    def __init__(
        self,
        fake: BenchTelegram,
        target: Target,
        *,
        first_id: int,
        step_timeout: float,
        admin_id: int | None,
    ) -> None:
        self.fake = fake
        self.target = target
        self.step_timeout = step_timeout
        self.admin_id = admin_id
        self.tally = Tally()
        self._ids: Iterator[int] = itertools.count(first_id)
        # Echo runs send one admin press per submitted ad, up to this many (ours: what the
        # admin lane really did), so both bots see the same share of admin updates.
        self.echo_admin_budget = 0

    def new_seller(self) -> Person:
        user_id = next(self._ids)
        return self.fake.user(user_id, f"Sotuvchi {user_id}", language_code="uz")

    def _expect(self, person: Person, step: Step) -> asyncio.Future[Call]:
        if self.target is Target.OURS:
            marker = step.marker
            return self.fake.expect(person.id, lambda call: marker in text_of(call))
        if step.kind == "press":
            return self.fake.expect(person.id, lambda call: call.method == "answerCallbackQuery")
        return self.fake.expect(person.id, lambda call: call.method in SEND_METHODS)

    async def act(self, person: Person, step: Step) -> bool:
        """Take one step and wait for its answer; False when it failed (and was counted)."""
        answered = self._expect(person, step)
        began = time.monotonic()
        try:
            if step.kind == "text":
                await person.send(step.value)
            elif step.kind == "photo":
                await person.send_photo()
            elif self.target is Target.OURS:
                await person.press(step.value)
            else:
                await person.press_callback("bench:" + step.value[:20])
            await asyncio.wait_for(answered, self.step_timeout)
        except TimeoutError:
            self.tally.timeouts += 1
            self.tally.error(f"user {person.id}: no answer to {step.value or step.kind!r}")
            return False
        except AssertionError as error:  # the people API could not find the button
            answered.cancel()
            self.tally.error(f"user {person.id}: {error}")
            return False
        self.tally.steps += 1
        label = step.value[:16] or step.kind
        self.tally.step_seconds.setdefault(label, []).append(time.monotonic() - began)
        return True

    async def seller(self, person: Person) -> None:
        for step in DIALOG:
            if not await self.act(person, step):
                return
        self.tally.sellers_done += 1
        if self.target is Target.ECHO and self.echo_admin_budget > 0 and self.admin_id:
            self.echo_admin_budget -= 1
            await self._echo_admin_press()

    async def _echo_admin_press(self) -> None:
        assert self.admin_id is not None
        admin = self.fake.user(self.admin_id, "Admin")
        answered = self.fake.expect(admin.id, lambda call: call.method == "answerCallbackQuery")
        await admin.press_callback("mod1:ok:0")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(answered, self.step_timeout)
            self.tally.admin_presses += 1

    async def admin_lane(self, stop: asyncio.Event) -> None:
        """Our bot only: the admin approves every card the outbox brings, as it arrives.

        Cards come at Telegram's pace for one chat (about one a second), so this is a small
        share of the updates, as in real life.
        """
        if self.target is not Target.OURS or self.admin_id is None:
            return
        admin = self.fake.user(self.admin_id, "Admin")
        while not stop.is_set():
            card = self.fake.expect(admin.id, is_card)
            stopping = asyncio.ensure_future(stop.wait())
            waiters: set[asyncio.Future[Any]] = {card, stopping}
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            if not card.done():
                card.cancel()
                return
            message = card.result().result
            if not isinstance(message, dict):
                continue
            view = BotMessage(self.fake, admin.id, int(message["message_id"]))
            answered = self.fake.expect(admin.id, lambda c: c.method == "answerCallbackQuery")
            try:
                await admin.press(APPROVE_LABEL, message=view)
                await asyncio.wait_for(answered, self.step_timeout)
            except (TimeoutError, AssertionError) as error:
                answered.cancel()
                self.tally.error(f"admin: {error!r}")
                continue
            self.tally.admin_presses += 1


def is_card(call: Call) -> bool:
    if call.method != "sendMessage" or not isinstance(call.result, dict):
        return False
    markup = call.result.get("reply_markup") or {}
    rows = markup.get("inline_keyboard") or []
    return any(button.get("text") == APPROVE_LABEL for row in rows for button in row)


@dataclass(frozen=True, slots=True)
class LoadResult:
    updates: int
    seconds: float
    sellers: int
    sellers_done: int
    admin_presses: int
    timeouts: int
    errors: list[str]

    @property
    def per_second(self) -> float:
        return self.updates / self.seconds if self.seconds > 0 else 0.0


async def closed_loop(
    people: People, *, sellers: int, concurrency: int, deadline: float
) -> LoadResult:
    """`sellers` sellers, `concurrency` at a time, each starting as soon as a slot frees up.
    Stops starting new sellers at `deadline` (time.monotonic())."""
    stop = asyncio.Event()
    admin = asyncio.create_task(people.admin_lane(stop))
    remaining = iter(range(sellers))
    started = 0

    async def lane() -> None:
        nonlocal started
        for _ in remaining:
            if time.monotonic() >= deadline:
                return
            started += 1
            await people.seller(people.new_seller())

    begin = time.monotonic()
    try:
        await asyncio.gather(*(lane() for _ in range(concurrency)))
    finally:
        seconds = time.monotonic() - begin
        stop.set()
        await admin
    tally = people.tally
    return LoadResult(
        updates=tally.updates,
        seconds=seconds,
        sellers=started,
        sellers_done=tally.sellers_done,
        admin_presses=tally.admin_presses,
        timeouts=tally.timeouts,
        errors=list(tally.errors),
    )


@dataclass(slots=True)
class _InDialog:
    person: Person
    step: int = 0


async def open_loop(
    people: People,
    *,
    rate: float,
    seconds: float,
    max_sellers: int,
    on_start: Callable[[], None] | None = None,
) -> LoadResult:
    """Start steps at `rate` per second for `seconds`, whatever the bot does.

    A step goes to a seller whose previous step was answered (new sellers join when none is
    free, up to `max_sellers`): one person never has two updates in flight, as in life, but
    the arrivals as a whole do not wait for the bot. Steps that would have no free seller are
    counted as skipped rather than queued, so the schedule never drifts.
    """
    stop = asyncio.Event()
    admin = asyncio.create_task(people.admin_lane(stop))
    free: deque[_InDialog] = deque()
    tasks: set[asyncio.Task[None]] = set()
    total = int(rate * seconds)
    sellers = 0
    skipped = 0

    async def take_step(seller: _InDialog) -> None:
        if await people.act(seller.person, DIALOG[seller.step]):
            seller.step += 1
            if seller.step < len(DIALOG):
                free.append(seller)
            else:
                people.tally.sellers_done += 1

    if on_start is not None:
        on_start()
    loop = asyncio.get_running_loop()
    begin = loop.time()
    try:
        for k in range(total):
            due = begin + k / rate
            delay = due - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            if free:
                seller = free.popleft()
            elif sellers < max_sellers:
                seller = _InDialog(people.new_seller())
                sellers += 1
            else:
                skipped += 1
                continue
            task = asyncio.create_task(take_step(seller))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        if tasks:
            await asyncio.wait(set(tasks), timeout=people.step_timeout + 5)
    finally:
        seconds_taken = loop.time() - begin
        stop.set()
        await admin
        for task in tasks:
            task.cancel()
    tally = people.tally
    errors = list(tally.errors)
    if skipped:
        errors.append(f"{skipped} arrivals skipped: no free seller (raise max_sellers)")
    return LoadResult(
        updates=tally.updates,
        seconds=seconds_taken,
        sellers=sellers,
        sellers_done=tally.sellers_done,
        admin_presses=tally.admin_presses,
        timeouts=tally.timeouts,
        errors=errors,
    )
