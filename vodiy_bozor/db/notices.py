"""Saved-search notices: a buyer's daily quota of notices, and the evening digest that lists
what matched after the quota ran out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from vodiy_bozor.db import Conn

# A buyer's notices per day from saved searches.
NOTICES_PER_DAY: Final = 20


async def take_notice_slot(conn: Conn, buyer_id: int, *, per_day: int = NOTICES_PER_DAY) -> bool:
    """Count one saved-search notice to the buyer today (Tashkent's day, UTC+5 all year);
    False when they have had `per_day` already (the rest wait for the evening digest)."""
    row = await conn.fetchrow(
        """
        INSERT INTO search_notice_days AS d (buyer_id, day, sent)
        VALUES ($1, (now() AT TIME ZONE 'UTC' + interval '5 hours')::date, 1)
        ON CONFLICT (buyer_id, day) DO UPDATE SET sent = d.sent + 1 WHERE d.sent < $2
        RETURNING sent
        """,
        buyer_id,
        per_day,
    )
    return row is not None


# -- the evening digest -------------------------------------------------------------------------

# The hour (Tashkent, UTC+5 all year) when held notices go out as one message.
DIGEST_HOUR: Final = 20


async def hold_for_digest(conn: Conn, buyer_id: int, ad_id: int) -> None:
    """Keep an ad for the buyer's next evening digest (they had today's notices already):
    due at the next DIGEST_HOUR in Tashkent."""
    await hold_many_for_digest(conn, [buyer_id], ad_id)


async def claim_digests(conn: Conn, buyers: int) -> dict[int, list[int]]:
    """Take the due digest rows of up to `buyers` buyers (all of each one's, so a buyer gets
    one message): buyer → ad ids, oldest first. Deleting is the claim: a second process
    waiting on the same rows finds them gone."""
    rows = await conn.fetch(
        """
        WITH due AS (SELECT DISTINCT buyer_id FROM search_digest_items
                      WHERE due_at <= now() LIMIT $1)
        DELETE FROM search_digest_items d USING due
         WHERE d.buyer_id = due.buyer_id AND d.due_at <= now()
        RETURNING d.buyer_id, d.ad_id
        """,
        buyers,
    )
    found: dict[int, list[int]] = {}
    for row in sorted(rows, key=lambda r: (r["buyer_id"], r["ad_id"])):
        found.setdefault(row["buyer_id"], []).append(row["ad_id"])
    return found


async def take_notice_slots(
    conn: Conn, buyer_ids: Sequence[int], *, per_day: int = NOTICES_PER_DAY
) -> set[int]:
    """take_notice_slot for many buyers in one statement (one new ad can match thousands):
    the buyers who may have one more notice today. Rows are taken in id order, so two ads
    published at once lock the same buyers' rows in the same order and never deadlock."""
    rows = await conn.fetch(
        """
        INSERT INTO search_notice_days AS d (buyer_id, day, sent)
        SELECT b, (now() AT TIME ZONE 'UTC' + interval '5 hours')::date, 1
          FROM unnest($1::bigint[]) AS b ORDER BY b
        ON CONFLICT (buyer_id, day) DO UPDATE SET sent = d.sent + 1 WHERE d.sent < $2
        RETURNING buyer_id
        """,
        sorted(set(buyer_ids)),
        per_day,
    )
    return {r["buyer_id"] for r in rows}


async def hold_many_for_digest(conn: Conn, buyer_ids: Sequence[int], ad_id: int) -> None:
    """hold_for_digest for many buyers in one statement."""
    await conn.execute(
        """
        WITH local AS (SELECT now() AT TIME ZONE 'UTC' + interval '5 hours' AS t),
             evening AS (SELECT date_trunc('day', t) + make_interval(hours => $3) AS e, t
                           FROM local)
        INSERT INTO search_digest_items (buyer_id, ad_id, due_at)
        SELECT b, $2,
               (CASE WHEN t < e THEN e ELSE e + interval '1 day' END - interval '5 hours')
                   AT TIME ZONE 'UTC'
          FROM evening, unnest($1::bigint[]) AS b
        ON CONFLICT DO NOTHING
        """,
        sorted(set(buyer_ids)),
        ad_id,
        DIGEST_HOUR,
    )
