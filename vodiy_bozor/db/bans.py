"""Whether a seller is banned now, as one SQL condition every query that exposes ads shares.

A ban means no new exposure of the seller's ads: no search, inline or ad-page result, no
repost, no first post, no notice or digest line (channel posts already out stay as they are).
Each of those queries adds `seller_not_banned(<the ad's owner_id column>)`; the bans themselves
(who, why, lifted) are written in `db.assistant`.

Cheap at a million ads: active bans are a handful of rows behind the partial unique index
`bans_active_idx (user_id) WHERE lifted_at IS NULL` (migration 0007), so the planner answers the
NOT IN with a hashed subplan of those few rows, and the search's plans over the ads (newest
first, GIN) stay the same.
"""

from __future__ import annotations

import re

from vodiy_bozor.db import Executor

_COLUMN = re.compile(r"[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?")


def seller_not_banned(owner_id: str) -> str:
    """The SQL condition "the seller `owner_id` (a column, e.g. `a.owner_id`) is not banned
    now", to AND into a WHERE clause.

    Written as NOT IN over the few bans in force, so PostgreSQL reads them once per statement
    into a hashed subplan and each ad costs a hash probe: a page found by walking thousands of
    the newest ads would otherwise probe the bans index once per ad (measured in the catalogue's
    benchmark: list p95 141 ms with a probe per ad, 52 ms with the hashed subplan, at 1,000,000
    ads). `user_id` is NOT NULL, so NOT IN has no NULL surprises.
    https://www.postgresql.org/docs/current/functions-subquery.html#FUNCTIONS-SUBQUERY-NOTIN
    """
    if not _COLUMN.fullmatch(owner_id):
        raise ValueError(f"not a column name: {owner_id!r}")
    # A checked column name, no user input.
    return f"{owner_id} NOT IN (SELECT user_id FROM bans WHERE lifted_at IS NULL)"  # noqa: S608


async def is_banned(db: Executor, user_id: int) -> bool:
    """Whether a ban on the user is in force now."""
    banned: bool = await db.fetchval(
        "SELECT EXISTS (SELECT 1 FROM bans WHERE user_id = $1 AND lifted_at IS NULL)", user_id
    )
    return banned
