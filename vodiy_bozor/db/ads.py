"""Ads, their photos, their channel messages and the admins' cards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

import asyncpg

from vodiy_bozor.db import Conn, Executor, price_of
from vodiy_bozor.db.bans import Ban, seller_not_banned
from vodiy_bozor.db.search import add_words
from vodiy_bozor.models import (
    Ad,
    AdContent,
    AdStatus,
    Category,
    ChannelPost,
    Photo,
    Region,
)


class Standing(NamedTuple):
    """What decides whether a seller may submit now: the ban in force, if any; their ads
    waiting for moderation; and those submitted in the last `seconds`."""

    ban: Ban | None
    pending: int
    recent: int


async def seller_standing(db: Executor, owner_id: int, seconds: int) -> Standing:
    """The seller's ban and counts in one statement (a submit checks them twice: at "new ad"
    and under the seller's lock). The counts' row always exists; the active ban is at most
    one row (the partial unique index `bans_active_idx`), so the LEFT JOIN keeps one row."""
    row = await db.fetchrow(
        """
        SELECT c.pending, c.recent, b.reason, b.banned_by, b.at
          FROM (SELECT count(*) FILTER (WHERE status = 'pending') AS pending,
                       count(*) FILTER (WHERE created_at > now() - $2::interval) AS recent
                  FROM ads WHERE owner_id = $1) AS c
          LEFT JOIN bans b ON b.user_id = $1 AND b.lifted_at IS NULL
        """,
        owner_id,
        timedelta(seconds=seconds),
    )
    assert row is not None
    ban = (
        None
        if row["banned_by"] is None
        else Ban(owner_id, row["reason"], row["banned_by"], row["at"])
    )
    return Standing(ban, row["pending"], row["recent"])


async def insert_ad(
    conn: Conn,
    owner_id: int,
    content: AdContent,
    *,
    sketch: Sequence[int] | None = None,
    search_text: str | None = None,
) -> int:
    """A new pending ad and its photos; `sketch`: its text sketch (text.sketch);
    `search_text`: its search text (text.fold.ad_document), stored with it and its words added
    to the lexicon, as `search.set_search_text` would after it.

    One statement: the photos and the lexicon's words are data-modifying CTEs of the ad's
    INSERT (https://www.postgresql.org/docs/current/queries-with.html#QUERIES-WITH-MODIFYING;
    the photos' foreign key is checked at the statement's end, when the ad is there). The
    search text goes in with the row rather than as an UPDATE after it, which wrote a second
    version of the row and of every index entry of it."""
    ad_id: int = await conn.fetchval(
        f"""
        WITH ad AS (
            INSERT INTO ads (owner_id, category, description, price_amount, price_currency,
                             region, district, phone, text_sketch, search_text)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            RETURNING id, search_tsv
        ), photos AS (
            INSERT INTO ad_photos (ad_id, position, file_id, file_unique_id)
            SELECT ad.id, p.n - 1, p.file_id, p.unique_id
              FROM ad, unnest($11::text[], $12::text[]) WITH ORDINALITY AS p(file_id, unique_id, n)
        ), words AS (
            {add_words("ad")}
        )
        SELECT id FROM ad
        """,  # noqa: S608 - add_words is SQL of ours, no input
        owner_id,
        content.category.value,
        content.description,
        content.price.amount,
        content.price.currency.value,
        content.region.value,
        content.district,
        content.phone,
        None if sketch is None else list(sketch),
        search_text or "",
        [p.file_id for p in content.photos],
        [p.file_unique_id for p in content.photos],
    )
    return ad_id


async def get_ad(db: Executor, ad_id: int) -> Ad | None:
    row = await db.fetchrow("SELECT * FROM ads WHERE id = $1", ad_id)
    if row is None:
        return None
    return ad_from_row(row, await get_photos(db, ad_id))


async def get_ads(db: Executor, ad_ids: Sequence[int]) -> dict[int, Ad]:
    """Many ads with their photos in one statement (a page of inline results is 50)."""
    rows = await db.fetch(
        """
        SELECT a.*,
               ARRAY(SELECT file_id FROM ad_photos WHERE ad_id = a.id ORDER BY position)
                   AS photo_file_ids,
               ARRAY(SELECT file_unique_id FROM ad_photos WHERE ad_id = a.id ORDER BY position)
                   AS photo_unique_ids
          FROM ads a WHERE a.id = ANY($1::bigint[])
        """,
        list(ad_ids),
    )
    return {
        row["id"]: ad_from_row(
            row,
            tuple(
                Photo(file_id, unique_id)
                for file_id, unique_id in zip(
                    row["photo_file_ids"], row["photo_unique_ids"], strict=True
                )
            ),
        )
        for row in rows
    }


async def lock_ad(conn: Conn, ad_id: int) -> None:
    """Lock the ad's row until the end of the transaction (its status changes wait)."""
    await conn.execute("SELECT 1 FROM ads WHERE id = $1 FOR UPDATE", ad_id)


async def get_photos(db: Executor, ad_id: int) -> tuple[Photo, ...]:
    rows = await db.fetch(
        "SELECT file_id, file_unique_id FROM ad_photos WHERE ad_id = $1 ORDER BY position", ad_id
    )
    return tuple(Photo(r["file_id"], r["file_unique_id"]) for r in rows)


def ad_from_row(row: asyncpg.Record, photos: Sequence[Photo] = ()) -> Ad:
    return Ad(
        id=row["id"],
        owner_id=row["owner_id"],
        status=AdStatus(row["status"]),
        content=AdContent(
            category=Category(row["category"]),
            description=row["description"],
            price=price_of(row),
            region=Region(row["region"]),
            district=row["district"],
            phone=row["phone"],
            photos=tuple(photos),
        ),
        created_at=row["created_at"],
        decided_at=row["decided_at"],
        decided_by=row["decided_by"],
        reject_code=row["reject_code"],
        reject_reason=row["reject_reason"],
        published_at=row["published_at"],
        closed_at=row["closed_at"],
    )


async def decide(
    conn: Conn,
    ad_id: int,
    *,
    to: AdStatus,
    admin_id: int,
    reason_code: str | None = None,
    reason: str | None = None,
) -> bool:
    """Approve or reject a pending ad. False when it is no longer pending: someone else
    already decided, and nothing changed. The condition in the UPDATE makes it exactly once."""
    row = await conn.fetchrow(
        """
        UPDATE ads SET status = $2, decided_at = now(), decided_by = $3,
               reject_code = $4, reject_reason = $5
         WHERE id = $1 AND status = 'pending'
        RETURNING id
        """,
        ad_id,
        to.value,
        admin_id,
        reason_code,
        reason,
    )
    return row is not None


async def add_posts(
    conn: Conn, ad_id: int, chat_id: int, message_ids: Sequence[int], *, is_repost: bool
) -> None:
    await conn.executemany(
        """
        INSERT INTO ad_posts (ad_id, chat_id, message_id, position, is_repost)
        VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING
        """,
        [(ad_id, chat_id, mid, i, is_repost) for i, mid in enumerate(message_ids)],
    )


async def first_post(db: Executor, ad_id: int) -> ChannelPost | None:
    row = await db.fetchrow(
        """
        SELECT chat_id, message_id, position, is_repost FROM ad_posts
         WHERE ad_id = $1 AND position = 0 ORDER BY posted_at DESC, message_id DESC LIMIT 1
        """,
        ad_id,
    )
    if row is None:
        return None
    return ChannelPost(row["chat_id"], row["message_id"], row["position"], row["is_repost"])


async def save_admin_card(conn: Conn, ad_id: int, admin_id: int, message_id: int) -> None:
    await conn.execute(
        """
        INSERT INTO admin_cards (ad_id, admin_id, message_id) VALUES ($1, $2, $3)
        ON CONFLICT (ad_id, admin_id)
        DO UPDATE SET message_id = EXCLUDED.message_id,
                      keyboard = CASE WHEN admin_cards.message_id = EXCLUDED.message_id
                                      THEN admin_cards.keyboard ELSE 'decide' END
        """,
        ad_id,
        admin_id,
        message_id,
    )


async def admin_card(db: Executor, ad_id: int, admin_id: int) -> int | None:
    value: int | None = await db.fetchval(
        "SELECT message_id FROM admin_cards WHERE ad_id = $1 AND admin_id = $2", ad_id, admin_id
    )
    return value


async def admin_card_keyboard(db: Executor, ad_id: int, admin_id: int) -> str | None:
    """Which keyboard the admin has open under their card (migration 0012)."""
    value: str | None = await db.fetchval(
        "SELECT keyboard FROM admin_cards WHERE ad_id = $1 AND admin_id = $2", ad_id, admin_id
    )
    return value


async def set_admin_card_keyboard(
    db: Executor, ad_id: int, admin_id: int, message_id: int, keyboard: str
) -> None:
    """The admin opened `keyboard` under their card (message `message_id`). An upsert: the
    admin may press before the outbox has recorded the card it just sent."""
    await db.execute(
        """
        INSERT INTO admin_cards (ad_id, admin_id, message_id, keyboard) VALUES ($1, $2, $3, $4)
        ON CONFLICT (ad_id, admin_id)
        DO UPDATE SET message_id = EXCLUDED.message_id, keyboard = EXCLUDED.keyboard
        """,
        ad_id,
        admin_id,
        message_id,
        keyboard,
    )


async def seller_counts(db: Executor, owner_id: int) -> tuple[int, int]:
    """How many ads the seller submitted, and how many of them admins approved."""
    row = await db.fetchrow(
        """
        SELECT count(*) AS posted,
               count(*) FILTER (WHERE decided_at IS NOT NULL AND status <> 'rejected') AS approved
          FROM ads WHERE owner_id = $1
        """,
        owner_id,
    )
    assert row is not None
    return row["posted"], row["approved"]


async def pending_ids(db: Executor, limit: int = 50) -> list[int]:
    rows = await db.fetch(
        "SELECT id FROM ads WHERE status = 'pending' ORDER BY created_at, id LIMIT $1", limit
    )
    return [r["id"] for r in rows]


async def count_by_status(db: Executor) -> dict[AdStatus, int]:
    rows = await db.fetch("SELECT status, count(*) AS n FROM ads GROUP BY status")
    counts = dict.fromkeys(AdStatus, 0)
    counts.update({AdStatus(r["status"]): r["n"] for r in rows})
    return counts


async def median_decision_seconds(db: Executor) -> float | None:
    value: float | None = await db.fetchval(
        """
        SELECT percentile_cont(0.5) WITHIN GROUP (
                   ORDER BY extract(epoch FROM decided_at - created_at)::float8)
          FROM ads WHERE decided_at IS NOT NULL
        """
    )
    return value


# -- the lifecycle after publication -----------------------------------------------------------


async def publish(conn: Conn, ad_id: int, *, check_in: float) -> bool:
    """The first channel post is out: approved → published, shown now, first question due."""
    row = await conn.fetchrow(
        """
        UPDATE ads SET status = 'published', published_at = now(), last_shown_at = now(),
               next_check_at = now() + $2::interval, unanswered_checks = 0
         WHERE id = $1 AND status = 'approved'
        RETURNING owner_id
        """,
        ad_id,
        timedelta(seconds=check_in),
    )
    if row is None:
        return False
    # Being published counts as being shown: a new seller goes to the back of the rotation.
    await conn.execute("UPDATE users SET last_reposted_at = now() WHERE id = $1", row["owner_id"])
    return True


# For the `$3` sellers least recently shown (banned ones left out), each one's least recently
# shown ad that was shown before `$1` and is not ad `$2`. (A constant so the benchmark can
# EXPLAIN it.)
ROTATION_PICK = f"""
    SELECT a.id, a.owner_id, s.last_reposted_at, a.last_shown_at
      FROM (SELECT id, last_reposted_at FROM users
             WHERE live_ads > 0 AND {seller_not_banned("users.id")}
             ORDER BY last_reposted_at NULLS FIRST, id
             LIMIT $3) s
      CROSS JOIN LATERAL (
            SELECT id, owner_id, last_shown_at FROM ads
             WHERE owner_id = s.id AND status = 'published'
               AND last_shown_at <= $1 AND id IS DISTINCT FROM $2
             ORDER BY last_shown_at, id
             LIMIT 1) a
     ORDER BY s.last_reposted_at NULLS FIRST, a.last_shown_at
"""  # noqa: S608 - a constant condition, no user input


@dataclass(frozen=True, slots=True)
class RepostCandidate:
    ad_id: int
    owner_id: int
    seller_shown_at: datetime | None
    ad_shown_at: datetime | None


async def repost_candidates(
    conn: Conn, *, shown_before: datetime, exclude: int | None, sellers: int = 10
) -> list[RepostCandidate]:
    """For the sellers least recently shown, each one's least recently shown eligible ad.

    Two index range scans (users_rotation_idx, then ads_rotation_idx per seller), so the cost
    does not grow with the number of ads. Falls back to the ads least recently shown overall
    when the front of the rotation has nothing eligible.
    """
    rows = await conn.fetch(ROTATION_PICK, shown_before, exclude, sellers)
    if not rows:
        rows = await conn.fetch(
            f"""
            SELECT a.id, a.owner_id, u.last_reposted_at, a.last_shown_at
              FROM (SELECT id, owner_id, last_shown_at FROM ads
                     WHERE status = 'published' AND last_shown_at <= $1
                       AND id IS DISTINCT FROM $2 AND {seller_not_banned("ads.owner_id")}
                     ORDER BY last_shown_at, id
                     LIMIT $3) a
              JOIN users u ON u.id = a.owner_id
            """,  # noqa: S608 - a constant condition, no user input
            shown_before,
            exclude,
            sellers,
        )
    return [RepostCandidate(r[0], r[1], r[2], r[3]) for r in rows]


async def mark_shown(conn: Conn, ad_id: int, owner_id: int) -> None:
    await conn.execute("UPDATE ads SET last_shown_at = now() WHERE id = $1", ad_id)
    await conn.execute("UPDATE users SET last_reposted_at = now() WHERE id = $1", owner_id)


@dataclass(frozen=True, slots=True)
class DueCheck:
    ad_id: int
    owner_id: int
    unanswered: int
    owner_blocked: bool


async def claim_due_checks(conn: Conn, limit: int) -> list[DueCheck]:
    """Published ads whose "sold?" question is due, locked for this transaction."""
    rows = await conn.fetch(
        """
        SELECT a.id, a.owner_id, a.unanswered_checks, u.blocked
          FROM ads a JOIN users u ON u.id = a.owner_id
         WHERE a.status = 'published' AND a.next_check_at <= now()
         ORDER BY a.next_check_at, a.id
         LIMIT $1
           FOR UPDATE OF a SKIP LOCKED
        """,
        limit,
    )
    return [DueCheck(r[0], r[1], r[2], r[3]) for r in rows]


async def question_slot(conn: Conn, owner_id: int, *, spacing: float) -> float:
    """Reserve the seller's next free moment for a question; return the seconds until it.

    Questions to one seller are at least `spacing` apart, however many ads fall due at once
    and in whichever tick or process they are found.
    """
    value: float = await conn.fetchval(
        """
        UPDATE users
           SET next_question_at = greatest(coalesce(next_question_at, now()), now()) + $2::interval
         WHERE id = $1
        RETURNING greatest(0, extract(epoch FROM next_question_at - $2::interval - now()))::float8
        """,
        owner_id,
        timedelta(seconds=spacing),
    )
    return value or 0.0


async def asked(conn: Conn, ad_id: int, *, check_in: float) -> None:
    await conn.execute(
        """
        UPDATE ads SET unanswered_checks = unanswered_checks + 1,
               next_check_at = now() + $2::interval
         WHERE id = $1
        """,
        ad_id,
        timedelta(seconds=check_in),
    )


async def owner_close(
    conn: Conn, ad_id: int, owner_id: int | None, *, to: AdStatus, expected: Sequence[AdStatus]
) -> bool:
    """sold / removed / expired: from one of `expected`, and only the owner's own ad
    (`owner_id` None: the bot itself, e.g. expiry)."""
    row = await conn.fetchrow(
        """
        UPDATE ads SET status = $3, closed_at = now(), next_check_at = NULL
         WHERE id = $1 AND ($2::bigint IS NULL OR owner_id = $2) AND status = ANY($4::text[])
        RETURNING id
        """,
        ad_id,
        owner_id,
        to.value,
        [s.value for s in expected],
    )
    return row is not None


async def still_selling(conn: Conn, ad_id: int, owner_id: int, *, check_in: float) -> bool:
    row = await conn.fetchrow(
        """
        UPDATE ads SET unanswered_checks = 0, next_check_at = now() + $3::interval
         WHERE id = $1 AND owner_id = $2 AND status = 'published'
        RETURNING id
        """,
        ad_id,
        owner_id,
        timedelta(seconds=check_in),
    )
    return row is not None


async def renew(conn: Conn, ad_id: int, owner_id: int, *, check_in: float) -> bool:
    """An expired ad back to published for another cycle (the reposts pick it up again)."""
    row = await conn.fetchrow(
        """
        UPDATE ads SET status = 'published', closed_at = NULL, unanswered_checks = 0,
               next_check_at = now() + $3::interval
         WHERE id = $1 AND owner_id = $2 AND status = 'expired'
        RETURNING id
        """,
        ad_id,
        owner_id,
        timedelta(seconds=check_in),
    )
    return row is not None


async def caption_posts(db: Executor, ad_id: int) -> list[ChannelPost]:
    """The channel messages of an ad that carry its caption (one per post and repost)."""
    rows = await db.fetch(
        """
        SELECT chat_id, message_id, position, is_repost FROM ad_posts
         WHERE ad_id = $1 AND position = 0 ORDER BY posted_at, message_id
        """,
        ad_id,
    )
    return [ChannelPost(r[0], r[1], r[2], r[3]) for r in rows]


async def owner_ads(db: Executor, owner_id: int, *, limit: int, offset: int) -> list[Ad]:
    rows = await db.fetch(
        """
        SELECT * FROM ads WHERE owner_id = $1
         ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3
        """,
        owner_id,
        limit,
        offset,
    )
    return [ad_from_row(r) for r in rows]


async def approved_unposted_ids(db: Executor, owner_id: int) -> list[int]:
    """The seller's approved ads that never had a first channel post, oldest first."""
    rows = await db.fetch(
        """
        SELECT id FROM ads a
         WHERE owner_id = $1 AND status = 'approved'
           AND NOT EXISTS (SELECT 1 FROM ad_posts p WHERE p.ad_id = a.id AND NOT p.is_repost)
         ORDER BY decided_at, id
        """,
        owner_id,
    )
    return [r["id"] for r in rows]


async def count_owner_ads(db: Executor, owner_id: int) -> int:
    value: int = await db.fetchval("SELECT count(*) FROM ads WHERE owner_id = $1", owner_id)
    return value
