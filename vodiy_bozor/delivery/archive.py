"""The photo archiver: copies every ad photo from Telegram into the photo store, and removes the
photos retention no longer keeps.

Telegram file_ids belong to one bot token and Telegram keeps files only as long as it likes, so
the channel keeps its own copy of each photo under `photo_key(ad_id, position)`.

- Off the seller's path: `submit()` only inserts rows; a trigger NOTIFYs `archive` on commit and
  this worker wakes up, downloads the photo (getFile, then the file URL) and stores it.
- Exactly one worker per photo at a time: a batch of rows is claimed with `FOR UPDATE SKIP
  LOCKED` and stays locked while its photos are downloaded and stored; the outcome is recorded
  in the same transaction. A crash rolls the transaction back, PostgreSQL drops the locks at
  once, and the next run finds the photos still to do. (A lease would free the connection
  during the transfer, but a transfer outliving its lease would let a second worker store the
  same photo concurrently; transfers are bounded by timeouts, so holding the lock is cheap.)
- Transient failures (the store or Telegram down, 5xx, network, 429) are retried with capped
  exponential backoff, for ever; the schedule is on the row, so it survives restarts.
- Permanent refusals are noted on the row and never retried: Telegram hands bots files of up
  to 20 MB only ("file is too big"), and a 400 for a file_id does not get better either.
- Retention, run every `retention_interval`: photos of removed ads, and of ads rejected more
  than `rejected_retention` ago, are deleted from the store; sold ads keep theirs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO
from typing import Any

import aiohttp
import asyncpg
from aiogram import Bot
from aiogram.exceptions import AiogramError, TelegramBadRequest, TelegramRetryAfter
from PIL import Image, ImageOps

from vodiy_bozor.assistant.hints import PhotoHash, hash_photo
from vodiy_bozor.db import Conn, Executor
from vodiy_bozor.db import assistant as db_assistant
from vodiy_bozor.db import catalogue as db_catalogue
from vodiy_bozor.db import photos as db_photos
from vodiy_bozor.db.photos import PhotoToArchive
from vodiy_bozor.delivery.photo_store import (
    PhotoNotFound,
    PhotoStore,
    PhotoStoreError,
    photo_key,
    thumb_key,
)
from vodiy_bozor.workers.backoff import Backoff
from vodiy_bozor.workers.loop import AGAIN, run_loop

__all__ = ["ArchiveTiming", "Archiver", "load_archived"]

log = logging.getLogger(__name__)

CONTENT_TYPE = "image/jpeg"  # Telegram re-encodes every photo as JPEG
# The catalogue's grid shows two or three photos across a phone: 320 px is sharp there.
THUMB_SIZE = 320
THUMB_QUALITY = 75
DAY = 24 * 3600.0


@dataclass(frozen=True, slots=True)
class _Archived:
    key: str
    phash: PhotoHash | None  # the assistant's perceptual hash (None: not a readable image)
    thumb: str | None = None  # the thumbnail's key (None: none could be made or stored)
    thumb_given_up: bool = False  # none can be made: not an image


@dataclass(frozen=True, slots=True)
class _Retry:
    delay: float
    error: str


@dataclass(frozen=True, slots=True)
class _GiveUp:
    error: str


_Outcome = _Archived | _Retry | _GiveUp


class _Incomplete(Exception):
    """The download ended without the whole file; worth another try."""


@dataclass(frozen=True, slots=True)
class ArchiveTiming:
    """The archiver's timing; tests use fractions of a second."""

    batch_size: int = 4  # photos in flight at once (each row stays locked while in flight)
    backoff_base: float = 5.0  # first retry after ~5 s, then 10, 20, 40, ...
    backoff_max: float = 600.0  # ... but never more than 10 minutes apart
    # Longest sleep when idle: NOTIFY wakes the worker for new photos and retries are timed
    # from the rows, so this only bounds the delay after a NOTIFY lost with a connection.
    idle_poll: float = 30.0
    busy_poll: float = 0.5  # photos are due but another worker holds them all
    request_timeout: int = 30  # getFile
    download_timeout: int = 120  # up to 20 MB over a slow link
    retention_interval: float = 3600.0  # how often retention runs
    rejected_retention: float = 30 * DAY  # how long a rejected ad's photos are kept
    retention_batch: int = 100
    # Archiving yields to people: while updates are being answered, each batch waits (in
    # steps of `yield_pause`) for a quiet moment, at most `max_defer` seconds, so a burst of
    # submissions is archived after it instead of slowing the answers down.
    yield_pause: float = 0.1
    max_defer: float = 5.0

    def __post_init__(self) -> None:
        if self.batch_size < 1 or self.retention_batch < 1:
            raise ValueError("batch sizes must be at least 1")
        Backoff(self.backoff_base, self.backoff_max)  # raises on a bad pair

    @property
    def backoff(self) -> Backoff:
        return Backoff(self.backoff_base, self.backoff_max, jitter=0.2)


class Archiver:
    """The worker. `run(stop)` loops until `stop` is set and outlives any single failure;
    `step()` and `clean_up()` do one batch / one retention pass, for tests and tools.

    Retries get ±20% jitter, so photos that failed together do not all retry together.
    """

    def __init__(
        self,
        pool: asyncpg.Pool[Any],
        bot: Bot,
        store: PhotoStore,
        limits: ArchiveTiming | None = None,
        busy: Callable[[], bool] | None = None,
        hashed: Callable[[Conn, list[int]], Awaitable[None]] | None = None,
    ) -> None:
        self._pool = pool
        self._bot = bot
        self._store = store
        self.limits = limits or ArchiveTiming()
        self._busy = busy or (lambda: False)
        # Told (in the batch's transaction) which ads got photo hashes: their cards can show
        # near-duplicate photos now.
        self._hashed = hashed
        self._wake = asyncio.Event()
        # Counters for logs and tests.
        self.archived = 0
        self.deleted = 0

    # -- the loop --------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        async with self._pool.acquire() as listener:
            await listener.add_listener(db_photos.CHANNEL_NAME, self._notified)
            try:
                await self._loop(stop)
            finally:
                with contextlib.suppress(asyncpg.InterfaceError, OSError):
                    await listener.remove_listener(db_photos.CHANNEL_NAME, self._notified)

    def _notified(self, *_: object) -> None:
        self._wake.set()

    async def _loop(self, stop: asyncio.Event) -> None:
        loop = asyncio.get_running_loop()
        next_clean_up = loop.time()  # once at start, then every retention_interval

        def until_clean_up(timeout: float) -> float:
            return max(0.0, min(timeout, next_clean_up - loop.time()))

        async def turn() -> float | None:
            nonlocal next_clean_up
            if loop.time() >= next_clean_up:
                # Set before the pass, so a pass that raises is not repeated at once; a
                # store or database that failed gets another pass sooner than the period.
                limits = self.limits
                next_clean_up = loop.time() + min(limits.backoff_max, limits.retention_interval)
                if await self.clean_up():
                    next_clean_up = loop.time() + limits.retention_interval
            await self._let_people_first(stop)
            if await self.step():
                return AGAIN  # there may be more due at once
            if await self.thumbnails():
                return AGAIN  # the missing thumbnails, when there is nothing else to do
            timeout = self.limits.idle_poll
            due = await db_photos.seconds_until_due(self._pool)
            if due is not None:
                # Due now but nothing claimed: another worker holds those rows.
                timeout = min(self.limits.busy_poll if due == 0 else due, self.limits.idle_poll)
            return until_clean_up(timeout)

        await run_loop(
            "archive",
            stop,
            turn,
            after_error=lambda: until_clean_up(self.limits.idle_poll),
            wake=self._wake,
        )

    async def _let_people_first(self, stop: asyncio.Event) -> None:
        """Wait while the bot is answering people, but never more than `max_defer`."""
        waited = 0.0
        while self._busy() and waited < self.limits.max_defer and not stop.is_set():
            await asyncio.sleep(self.limits.yield_pause)
            waited += self.limits.yield_pause

    # -- archiving -------------------------------------------------------------------------

    async def step(self) -> int:
        """Archive one batch of due photos; return how many were handled (stored, rescheduled
        or given up)."""
        async with self._pool.acquire() as conn, conn.transaction():
            photos = await db_photos.claim_due(conn, self.limits.batch_size)
            if not photos:
                return 0
            outcomes = await asyncio.gather(*(self._archive(photo) for photo in photos))
            hashed: list[int] = []
            for photo, outcome in zip(photos, outcomes, strict=True):
                if isinstance(outcome, _Archived):
                    await db_photos.mark_archived(conn, photo.ad_id, photo.position, outcome.key)
                    if outcome.thumb is not None or outcome.thumb_given_up:
                        await db_catalogue.set_thumbnail(
                            conn, photo.ad_id, photo.position, outcome.thumb
                        )
                    if outcome.phash is not None:
                        phash = outcome.phash
                        await db_assistant.set_photo_hash(
                            conn, photo.ad_id, photo.position, phash.value, phash.bands
                        )
                        hashed.append(photo.ad_id)
                elif isinstance(outcome, _Retry):
                    await db_photos.reschedule(
                        conn, photo.ad_id, photo.position, outcome.delay, outcome.error
                    )
                else:
                    await db_photos.give_up(conn, photo.ad_id, photo.position, outcome.error)
            if hashed and self._hashed is not None:
                await self._hashed(conn, hashed)
        self.archived += sum(isinstance(o, _Archived) for o in outcomes)
        return len(photos)

    async def _archive(self, photo: PhotoToArchive) -> _Outcome:
        """Download and store one photo; never raises except on cancellation."""
        where = f"ad {photo.ad_id} photo {photo.position}"
        try:
            data = await self._download(photo.file_id)
        except TelegramRetryAfter as exc:
            log.warning("archive: %s: flood limit, retry in %ds", where, exc.retry_after)
            return _Retry(float(exc.retry_after), self._redact(exc.message))
        except TelegramBadRequest as exc:
            # "file is too big" (over 20 MB) or a file_id Telegram no longer knows.
            error = self._redact(exc.message)
            log.warning("archive: %s: Telegram refuses the file (%s); giving up", where, error)
            return _GiveUp(error)
        except (AiogramError, aiohttp.ClientError, TimeoutError, _Incomplete) as exc:
            # 5xx, network, timeouts, a 401 an operator will fix, a garbled answer.
            return self._retry(photo, where, "download", self._describe(exc))
        except Exception as exc:
            log.exception("archive: %s: download failed unexpectedly", where)
            return self._retry(photo, where, "download", self._describe(exc), quiet=True)

        key = photo_key(photo.ad_id, photo.position)
        try:
            await self._store.put(key, data, CONTENT_TYPE)
        except PhotoStoreError as exc:
            if exc.retryable:
                return self._retry(photo, where, "store", self._redact(str(exc)))
            # Bad credentials or a missing bucket: only an operator can fix it, so the photo
            # waits at the longest interval and the log says so loudly.
            log.error("archive: %s: %s; retry in %.0fs", where, exc, self.limits.backoff_max)
            return _Retry(self.limits.backoff_max, self._redact(str(exc)))
        except Exception as exc:
            log.exception("archive: %s: storing failed unexpectedly", where)
            return self._retry(photo, where, "store", self._describe(exc), quiet=True)
        log.debug("archive: %s stored as %s (%d bytes)", where, key, len(data))
        phash = await self._hash(where, data)
        thumb, given_up = await self._thumbnail(where, photo.ad_id, photo.position, data)
        return _Archived(key, phash, thumb, given_up)

    async def _thumbnail(
        self, where: str, ad_id: int, position: int, data: bytes
    ) -> tuple[str | None, bool]:
        """A copy of at most THUMB_SIZE px for the catalogue's grid, stored next to the
        original: its key, or None and whether that is for good (not an image) rather than
        for now (the store failed; `thumbnails()` tries again). Without one the grid shows
        the original, so a failure costs bytes only."""
        try:
            small = await asyncio.to_thread(make_thumbnail, data)
        except Exception as exc:  # noqa: BLE001 - an unreadable image has no thumbnail
            log.warning("archive: %s: no thumbnail (%s)", where, type(exc).__name__)
            return None, True
        key = thumb_key(ad_id, position)
        try:
            await self._store.put(key, small, CONTENT_TYPE)
        except PhotoStoreError as exc:
            log.warning("archive: %s: thumbnail not stored: %s", where, self._redact(str(exc)))
            return None, False
        return key, False

    async def thumbnails(self) -> int:
        """Make the thumbnails archived photos lack (archived before thumbnails existed, or
        the store failed then), a batch at a time, newest ads first; returns how many were
        settled. Stops at the first store failure: the next pass tries again."""
        settled = 0
        async with self._pool.acquire() as conn, conn.transaction():
            for photo in await db_catalogue.claim_unthumbed(conn, self.limits.batch_size):
                where = f"ad {photo.ad_id} photo {photo.position}"
                try:
                    data = await self._store.get(photo.storage_key)
                except PhotoNotFound:
                    data = b""  # gone from the store: no thumbnail can be made
                except PhotoStoreError as exc:
                    log.warning("archive: %s: original unavailable: %s", where, exc)
                    break
                key, given_up = await self._thumbnail(where, photo.ad_id, photo.position, data)
                if key is None and not given_up:
                    break
                await db_catalogue.set_thumbnail(conn, photo.ad_id, photo.position, key)
                settled += 1
        return settled

    @staticmethod
    async def _hash(where: str, data: bytes) -> PhotoHash | None:
        """The photo's perceptual hash for the assistant's duplicate hints, off the event loop
        (a few ms of CPU) and off the seller's path (the archive runs after the submit)."""
        try:
            return await asyncio.to_thread(hash_photo, data)
        except Exception as exc:  # noqa: BLE001 - an unreadable image only loses a hint
            log.warning("archive: %s: no perceptual hash (%s)", where, type(exc).__name__)
            return None

    async def _download(self, file_id: str) -> bytes:
        file = await self._bot.get_file(file_id, request_timeout=self.limits.request_timeout)
        if not file.file_path:
            raise _Incomplete("Telegram gave no file_path")
        buffer = BytesIO()
        await self._bot.download_file(
            file.file_path, destination=buffer, timeout=self.limits.download_timeout
        )
        data = buffer.getvalue()
        if not data or (file.file_size is not None and len(data) != file.file_size):
            raise _Incomplete(f"got {len(data)} of {file.file_size} bytes")
        return data

    def _retry(
        self, photo: PhotoToArchive, where: str, stage: str, error: str, *, quiet: bool = False
    ) -> _Retry:
        delay = self.backoff(photo.attempts)
        if not quiet:
            log.warning(
                "archive: %s: %s failed (try %d): %s; retry in %.1fs",
                where,
                stage,
                photo.attempts + 1,
                error,
                delay,
            )
        return _Retry(delay, f"{stage}: {error}")

    def backoff(self, attempts: int) -> float:
        """Seconds before the next try after `attempts` earlier failures (and this one)."""
        return self.limits.backoff.delay(attempts)

    def _describe(self, exc: BaseException) -> str:
        # aiohttp's response errors put the request URL in their text, and a file URL holds the
        # bot token: keep the status only.
        if isinstance(exc, aiohttp.ClientResponseError):
            return f"HTTP {exc.status} {exc.message}".rstrip()
        text = str(exc)
        return self._redact(f"{type(exc).__name__}: {text}" if text else type(exc).__name__)

    def _redact(self, text: str) -> str:
        return text.replace(self._bot.token, "***")

    # -- retention -------------------------------------------------------------------------

    async def clean_up(self) -> bool:
        """Delete the photos retention no longer keeps; True when none is left to delete
        (False: the store failed and some remain for the next pass)."""
        while True:
            async with self._pool.acquire() as conn, conn.transaction():
                expired = await db_photos.claim_expired(
                    conn,
                    rejected_for=timedelta(seconds=self.limits.rejected_retention),
                    limit=self.limits.retention_batch,
                )
                stored = [p for p in expired if p.storage_key is not None]
                results = await asyncio.gather(
                    *(self._delete(p.storage_key, p.ad_id, p.position) for p in stored),
                    return_exceptions=True,
                )
                failed: set[tuple[int, int]] = set()
                for photo, result in zip(stored, results, strict=True):
                    if isinstance(result, BaseException):
                        failed.add((photo.ad_id, photo.position))
                        log.warning(
                            "archive: retention could not delete %s: %s", photo.storage_key, result
                        )
                # Unarchived photos have nothing in the store: marking them stops the archiver.
                done = [
                    (p.ad_id, p.position) for p in expired if (p.ad_id, p.position) not in failed
                ]
                await db_photos.mark_deleted(conn, done)
            self.deleted += len(done)
            if done:
                log.info("archive: retention removed %d photos", len(done))
            if failed:
                return False
            if len(expired) < self.limits.retention_batch:
                return True

    async def _delete(self, key: str | None, ad_id: int, position: int) -> None:
        """A photo and its thumbnail (a missing one is no error)."""
        await self._store.delete(thumb_key(ad_id, position))
        if key is not None:
            await self._store.delete(key)


def make_thumbnail(data: bytes) -> bytes:
    """A JPEG of at most THUMB_SIZE px on the longer side, turned as the camera meant it."""
    with Image.open(BytesIO(data)) as image:
        image.draft("RGB", (THUMB_SIZE, THUMB_SIZE))  # JPEG: decode at a fraction of the size
        small = ImageOps.exif_transpose(image).convert("RGB")
        small.thumbnail((THUMB_SIZE, THUMB_SIZE), Image.Resampling.LANCZOS)
        out = BytesIO()
        small.save(out, "JPEG", quality=THUMB_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


async def load_archived(db: Executor, store: PhotoStore, ad_id: int) -> list[bytes] | None:
    """The ad's archived photos in position order, for sending them again when Telegram refuses
    the stored file_ids. None when not every photo is archived (or one went missing from the
    store). Raises PhotoStoreError when the store is unreachable: try again later."""
    keys = await db_photos.archived_keys(db, ad_id)
    if keys is None:
        return None
    try:
        return list(await asyncio.gather(*(store.get(key) for key in keys)))
    except PhotoNotFound as exc:
        log.error("archive: ad %d: %s in %s", ad_id, exc, store.describe())
        return None
