"""Between Telegram and the handlers: fairness between people, albums taken whole, and a lock
table that does not grow.

Every update passes `Intake.admit` before aiogram's own machinery (`VodiyDispatcher.feed_update`
calls it, in polling and webhook mode alike):

1. **One person cannot stall everyone.** Each user may have at most `per_user` updates in
   flight (admitted and not finished). What is over that is dropped at once, with at most one
   "too fast, please wait" answer a minute, so a flood costs nothing but its parsing. (The
   admins are trusted: one may approve a screenful of cards in a second; and a payment is
   never dropped, see `never_dropped`.) The cap
   is taken *before* a global slot: a flooder holds at most `per_user` of the `slots` that
   bound the work of the whole process, and everyone else's updates find a free slot. (aiogram
   serialises one user's updates behind a per-user lock; without the cap, hundreds of one
   user's updates each hold a slot while they wait for that lock.)
2. **An album is answered once.** Telegram sends the photos of an album as separate updates
   with one `media_group_id` (https://core.telegram.org/bots/api#message). The first of them
   waits `album_wait` seconds for the rest, then feeds them all, in order, each told its place
   in the album (`album: AlbumPart` in the handler's data), so the dialog answers the album
   with one message instead of one per photo. The others return at once: they are in the
   first one's hands. Photos sent one by one are not delayed. Webhook instances behind a load
   balancer each receive some of an album's parts, so there the parts meet in PostgreSQL
   (`SharedAlbums`, db/albums.py) instead of in memory: every instance writes its parts, the
   one whose part came first waits out the window and feeds them all, its own and the other
   instances'. (Polling has one instance, which sees every part: memory is enough there.)
3. **Stale button presses are not answered late.** The moment each update arrived is kept for
   its handling (`arrived_at()`); `bot/pacing.py` skips an `answerCallbackQuery` that would
   come after Telegram stops accepting it.

`UserLocks` replaces aiogram's `SimpleEventIsolation`, whose table of per-user locks is never
cleaned (https://github.com/aiogram/aiogram/blob/dev-3.x/aiogram/fsm/storage/memory.py): ours
drops a lock when nobody holds or waits for it.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from aiogram.fsm.storage.base import BaseEventIsolation, StorageKey
from aiogram.types import Update

from vodiy_bozor.db import albums as db_albums

log = logging.getLogger(__name__)

_arrived: contextvars.ContextVar[float | None] = contextvars.ContextVar("arrived", default=None)


def arrived_at() -> float | None:
    """`time.monotonic()` when the update being handled reached the bot (None outside one)."""
    return _arrived.get()


@dataclass(frozen=True, slots=True)
class AlbumPart:
    """Where a photo stands in its album: the handler answers when `last`."""

    index: int
    size: int

    @property
    def last(self) -> bool:
        return self.index == self.size - 1


@dataclass(slots=True)
class _Album:
    updates: list[Update] = field(default_factory=list)
    grown: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass(frozen=True, slots=True)
class SharedAlbums:
    """Albums collected in PostgreSQL, for instances that each see only some of the parts."""

    pool: asyncpg.Pool[Any]


Feed = Callable[..., Awaitable[Any]]
TooFast = Callable[[Any, Update], Awaitable[None]]


def never_dropped(update: Update) -> bool:
    """Updates that pass the per-user cap whatever the person's flood: a payment's pre-checkout
    query must be answered within 10 seconds or the payment fails, and a successful (or
    refunded) payment is money that has moved and must be recorded.
    https://core.telegram.org/bots/payments-stars#3-pre-checkout-query"""
    if update.pre_checkout_query is not None:
        return True
    message = update.message
    return message is not None and (
        message.successful_payment is not None or message.refunded_payment is not None
    )


def user_of(update: Update) -> int | None:
    """The person behind an update, for the per-user cap (None: not a person's update)."""
    event = update.event
    user = getattr(event, "from_user", None)
    return user.id if user is not None else None


class Intake:
    def __init__(
        self,
        *,
        slots: int = 100,
        per_user: int = 20,
        exempt: Callable[[int], bool] = lambda _: False,
        album_wait: float = 0.5,
        album_max_wait: float = 2.0,
        warn_every: float = 60.0,
        too_fast: TooFast | None = None,
        shared: SharedAlbums | None = None,
    ) -> None:
        self.slots = asyncio.Semaphore(slots)
        self.per_user = per_user
        self.exempt = exempt
        self.album_wait = album_wait
        self.album_max_wait = album_max_wait
        self.warn_every = warn_every
        self.too_fast = too_fast
        self.shared = shared
        self._in_flight: dict[int, int] = {}
        self._warned: dict[int, float] = {}
        self._albums: dict[str, _Album] = {}
        self.dropped = 0

    async def admit(self, feed: Feed, bot: Any, update: Update, **kwargs: Any) -> Any:
        """Feed `update` through `feed` (the dispatcher's own `feed_update`) if and when it
        may go, or drop it."""
        token = _arrived.set(time.monotonic())
        try:
            user_id = user_of(update)
            if user_id is None:
                async with self.slots:
                    return await feed(bot, update, **kwargs)
            if (
                self._in_flight.get(user_id, 0) >= self.per_user
                and not self.exempt(user_id)
                and not never_dropped(update)
            ):
                await self._drop(user_id, bot, update)
                return None
            self._in_flight[user_id] = self._in_flight.get(user_id, 0) + 1
            try:
                return await self._admitted(feed, bot, update, **kwargs)
            finally:
                left = self._in_flight[user_id] - 1
                if left:
                    self._in_flight[user_id] = left
                else:
                    del self._in_flight[user_id]
        finally:
            _arrived.reset(token)

    async def _admitted(self, feed: Feed, bot: Any, update: Update, **kwargs: Any) -> Any:
        message = update.message
        group = message.media_group_id if message is not None else None
        if group is None or message is None or message.chat.type != "private":
            async with self.slots:
                return await feed(bot, update, **kwargs)
        if self.shared is not None:
            parts = await self._collect_shared(self.shared, group, bot, update)
        else:
            parts = await self._collect_here(group, update)
        if not parts:  # another update (here or in another instance) collects this album
            return None
        async with self.slots:
            result = None
            for index, part in enumerate(parts):
                result = await feed(
                    bot, part, **kwargs, album=AlbumPart(index=index, size=len(parts))
                )
            return result

    async def _collect_here(self, group: str, update: Update) -> list[Update]:
        """The album's parts in order, collected in this process; none when an earlier part
        collects them."""
        album = self._albums.get(group)
        if album is not None:  # the album's first update feeds this one too
            album.updates.append(update)
            album.grown.set()
            return []
        album = self._albums[group] = _Album([update])
        try:
            await self._collect(album)
        finally:
            del self._albums[group]
        return sorted(album.updates, key=lambda u: u.message.message_id if u.message else 0)

    async def _collect_shared(
        self, shared: SharedAlbums, group: str, bot: Any, update: Update
    ) -> list[Update]:
        """The album's parts in order, from every instance; none when another part claimed
        the album. Costs one statement per part, one per window waited and one transaction to
        take the parts."""
        message = update.message
        assert message is not None
        # by_alias: Telegram's field names ("from"), which is what `model_validate` reads back.
        body = update.model_dump_json(by_alias=True, exclude_none=True)
        if not await db_albums.add_part(
            shared.pool, group, update.update_id, message.message_id, body
        ):
            return []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.album_max_wait
        quiet: float | None = 0.0
        # The other instances' parts cannot wake this task: the album row's `last_part_at`
        # says when the latest came, so each look sleeps exactly until the window could close.
        while quiet is not None:
            wait = min(self.album_wait - quiet, deadline - loop.time())
            if wait <= 0:
                break
            await asyncio.sleep(wait)
            quiet = await db_albums.quiet_for(shared.pool, group)
        async with shared.pool.acquire() as conn:
            taken = await db_albums.take(conn, group)
        return [
            update
            if update_id == update.update_id
            else Update.model_validate_json(body, context={"bot": bot})
            for update_id, body in taken
        ] or [update]

    async def _collect(self, album: _Album) -> None:
        """Wait until no photo of the album has come for `album_wait` seconds (at most
        `album_max_wait` in all)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.album_max_wait
        while True:
            album.grown.clear()
            wait = min(self.album_wait, deadline - loop.time())
            if wait <= 0:
                return
            try:
                await asyncio.wait_for(album.grown.wait(), wait)
            except TimeoutError:
                return

    async def _drop(self, user_id: int, bot: Any, update: Update) -> None:
        self.dropped += 1
        now = time.monotonic()
        if now - self._warned.get(user_id, -1e9) < self.warn_every:
            return
        self._warned[user_id] = now
        if len(self._warned) > 10_000:  # forget the oldest warnings: the table stays small
            for stale in list(self._warned)[:1000]:
                del self._warned[stale]
        log.warning("user %d sends faster than they can be answered; dropping", user_id)
        if self.too_fast is not None:
            try:
                await self.too_fast(bot, update)
            except Exception:
                log.warning("could not tell user %d to slow down", user_id, exc_info=True)


class UserLocks(BaseEventIsolation):
    """One lock per conversation key while someone holds or waits for it; none otherwise."""

    def __init__(self) -> None:
        self._locks: dict[StorageKey, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        lock, users = self._locks.get(key, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            # The table may have been emptied meanwhile (`close()` at shutdown, while the last
            # updates finish): then there is nothing to count down.
            held = self._locks.get(key)
            if held is not None and held[0] is lock:
                if held[1] == 1:
                    del self._locks[key]
                else:
                    self._locks[key] = (lock, held[1] - 1)

    @property
    def keys_held(self) -> int:
        """Conversations with a lock now (not `__len__`: aiogram takes an empty isolation for
        none at all, `events_isolation or DisabledEventIsolation()`)."""
        return len(self._locks)

    async def close(self) -> None:
        self._locks.clear()
