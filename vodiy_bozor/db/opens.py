"""Who opened which ad through its channel post's link (each buyer counts once)."""

from __future__ import annotations

from collections.abc import Iterable

from vodiy_bozor.db import Executor


async def record_open(db: Executor, ad_id: int, buyer_id: int) -> bool:
    """A buyer opened the ad through its link; True the first time (each buyer counts once)."""
    row = await db.fetchrow(
        """
        INSERT INTO ad_opens (ad_id, buyer_id) VALUES ($1, $2)
        ON CONFLICT DO NOTHING RETURNING ad_id
        """,
        ad_id,
        buyer_id,
    )
    return row is not None


async def open_counts(db: Executor, ad_ids: Iterable[int]) -> dict[int, int]:
    """How many distinct buyers opened each ad (every id asked for is in the result)."""
    ids = list(ad_ids)
    rows = await db.fetch(
        "SELECT ad_id, count(*) AS n FROM ad_opens WHERE ad_id = ANY($1::bigint[]) GROUP BY ad_id",
        ids,
    )
    counts = dict.fromkeys(ids, 0)
    counts.update({r["ad_id"]: r["n"] for r in rows})
    return counts
