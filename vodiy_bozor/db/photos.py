"""The photo archive's rows: which photos still have to be copied into the photo store, what
happened when we tried, which ones retention removes, and what the courier needs to send the
archived copies when Telegram no longer accepts a file_id.

A photo is *to archive* while it has no `storage_key`, was not given up and was not deleted;
`archive_after` says when to try next. Claims lock the rows (`FOR UPDATE SKIP LOCKED`), so each
photo is worked on by one worker at a time; the lock lasts until the caller's transaction ends,
so the outcome must be recorded in that same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from vodiy_bozor.db import Conn, Executor

CHANNEL_NAME = "archive"  # LISTEN/NOTIFY channel; the 0003 migration's trigger notifies it

# Shared by every query below that asks "does this photo still need archiving?"; the partial
# index `ad_photos_to_archive_idx` has exactly this predicate.
_TO_ARCHIVE = "storage_key IS NULL AND NOT archive_given_up AND deleted_at IS NULL"

_MAX_ERROR = 1000  # characters of an error message kept on the row


@dataclass(frozen=True, slots=True)
class PhotoToArchive:
    ad_id: int
    position: int
    file_id: str
    attempts: int  # failed tries before this one


@dataclass(frozen=True, slots=True)
class ExpiredPhoto:
    """A photo retention removes; `storage_key` is None when it was never archived."""

    ad_id: int
    position: int
    storage_key: str | None


async def claim_due(conn: Conn, limit: int) -> list[PhotoToArchive]:
    """Lock up to `limit` photos that are due for archiving, oldest first. Call inside a
    transaction and record each outcome (archived, rescheduled, given up) before it ends."""
    rows = await conn.fetch(
        f"""
        SELECT ad_id, position, file_id, archive_attempts
          FROM ad_photos
         WHERE {_TO_ARCHIVE} AND archive_after <= now()
         ORDER BY archive_after, ad_id, position
         LIMIT $1
           FOR UPDATE SKIP LOCKED
        """,  # noqa: S608 - a constant predicate, no user input
        limit,
    )
    return [
        PhotoToArchive(r["ad_id"], r["position"], r["file_id"], r["archive_attempts"]) for r in rows
    ]


async def seconds_until_due(db: Executor) -> float | None:
    """How long until some photo is due for archiving (0: now; None: nothing left to do)."""
    # Clamped here, not with greatest(): greatest() ignores NULLs, so "nothing to do" would
    # come back as 0, "due now".
    value: float | None = await db.fetchval(
        f"""
        SELECT extract(epoch FROM min(archive_after) - now())::float8
          FROM ad_photos
         WHERE {_TO_ARCHIVE}
        """  # noqa: S608 - a constant predicate, no user input
    )
    return None if value is None else max(0.0, value)


async def mark_archived(conn: Conn, ad_id: int, position: int, key: str) -> None:
    await conn.execute(
        """
        UPDATE ad_photos SET storage_key = $3, archived_at = now(), archive_error = NULL
         WHERE ad_id = $1 AND position = $2
        """,
        ad_id,
        position,
        key,
    )


async def reschedule(conn: Conn, ad_id: int, position: int, delay: float, error: str) -> None:
    """The try failed for a reason that may go away: try again in `delay` seconds."""
    await conn.execute(
        """
        UPDATE ad_photos SET archive_after = now() + $3::interval,
               archive_attempts = archive_attempts + 1, archive_error = $4
         WHERE ad_id = $1 AND position = $2
        """,
        ad_id,
        position,
        timedelta(seconds=delay),
        error[:_MAX_ERROR],
    )


async def give_up(conn: Conn, ad_id: int, position: int, error: str) -> None:
    """The photo can never be archived (Telegram will not hand it out): stop trying."""
    await conn.execute(
        """
        UPDATE ad_photos SET archive_given_up = true,
               archive_attempts = archive_attempts + 1, archive_error = $3
         WHERE ad_id = $1 AND position = $2
        """,
        ad_id,
        position,
        error[:_MAX_ERROR],
    )


async def claim_expired(
    conn: Conn, *, rejected_for: timedelta, limit: int = 100
) -> list[ExpiredPhoto]:
    """Lock up to `limit` photos retention removes: those of removed ads, and of ads rejected
    more than `rejected_for` ago. Sold (and every other) ads keep theirs. Photos never archived
    are included too, so the archiver stops trying them. Call inside a transaction."""
    rows = await conn.fetch(
        """
        SELECT p.ad_id, p.position, p.storage_key
          FROM ad_photos p JOIN ads a ON a.id = p.ad_id
         WHERE p.deleted_at IS NULL
           AND (a.status = 'removed'
                OR (a.status = 'rejected' AND a.decided_at < now() - $1::interval))
         ORDER BY p.ad_id, p.position
         LIMIT $2
           FOR UPDATE OF p SKIP LOCKED
        """,
        rejected_for,
        limit,
    )
    return [ExpiredPhoto(r["ad_id"], r["position"], r["storage_key"]) for r in rows]


async def mark_deleted(conn: Conn, photos: Sequence[tuple[int, int]]) -> None:
    """Record that these (ad_id, position) photos are gone from the store."""
    if not photos:
        return
    await conn.execute(
        """
        UPDATE ad_photos p SET deleted_at = now()
          FROM unnest($1::bigint[], $2::smallint[]) AS d (ad_id, position)
         WHERE p.ad_id = d.ad_id AND p.position = d.position
        """,
        [ad_id for ad_id, _ in photos],
        [position for _, position in photos],
    )


async def archived_keys(db: Executor, ad_id: int) -> list[str] | None:
    """The store keys of the ad's photos in position order; None unless every one of them is
    archived and still kept (a partial album would change what the post shows)."""
    rows = await db.fetch(
        """
        SELECT storage_key, deleted_at FROM ad_photos WHERE ad_id = $1 ORDER BY position
        """,
        ad_id,
    )
    if any(r["storage_key"] is None or r["deleted_at"] is not None for r in rows):
        return None
    return [r["storage_key"] for r in rows]


async def replace_file_ids(conn: Conn, ad_id: int, new: Sequence[tuple[str, str]]) -> int:
    """After the archived photos were uploaded again, remember Telegram's new
    (file_id, file_unique_id) for positions 0, 1, ... so later sends reuse them. The archive
    state is kept: the bytes are the same. Returns how many photos were updated (the ad's
    photo count, unless `new` does not match the ad)."""
    if not new:
        return 0
    result: str = await conn.execute(
        """
        UPDATE ad_photos p SET file_id = n.file_id, file_unique_id = n.file_unique_id
          FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS n (file_id, file_unique_id, i)
         WHERE p.ad_id = $1 AND p.position = n.i - 1
        """,
        ad_id,
        [file_id for file_id, _ in new],
        [unique_id for _, unique_id in new],
    )
    return int(result.split()[-1])


async def backlog(db: Executor) -> tuple[int, int]:
    """Photos still to archive, and photos given up: for /status and health checks."""
    row = await db.fetchrow(
        f"""
        SELECT count(*) FILTER (WHERE {_TO_ARCHIVE}) AS waiting,
               count(*) FILTER (WHERE archive_given_up AND deleted_at IS NULL) AS given_up
          FROM ad_photos
        """  # noqa: S608 - a constant predicate, no user input
    )
    assert row is not None
    return row["waiting"], row["given_up"]
