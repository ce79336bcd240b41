"""Whether a seller is banned now, as one SQL condition every query that exposes ads shares.

A ban means no new exposure of the seller's ads: no search, inline or ad-page result, no
repost, no first post, no notice or digest line (channel posts already out stay as they are).
Each of those queries adds `seller_not_banned(<the ad's owner_id column>)`; the bans themselves
(who, why, lifted) are written in `db.assistant`.

Cheap at a million ads: active bans are a handful of rows behind the partial unique index
`bans_active_idx (user_id) WHERE lifted_at IS NULL` (migration 0007), so the planner answers the
NOT EXISTS with a hashed anti-join of those few rows (or one index probe per candidate row),
and the search's plans over the ads (newest first, GIN) stay the same.
https://www.postgresql.org/docs/current/functions-subquery.html#FUNCTIONS-SUBQUERY-EXISTS
"""

from __future__ import annotations

import re

from vodiy_bozor.db import Executor

_COLUMN = re.compile(r"[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?")


def seller_not_banned(owner_id: str) -> str:
    """The SQL condition "the seller `owner_id` (a column, e.g. `a.owner_id`) is not banned
    now", to AND into a WHERE clause."""
    if not _COLUMN.fullmatch(owner_id):
        raise ValueError(f"not a column name: {owner_id!r}")
    # A checked column name, no user input.
    condition = f"NOT EXISTS (SELECT 1 FROM bans ban WHERE ban.user_id = {owner_id} AND "  # noqa: S608
    return condition + "ban.lifted_at IS NULL)"


async def is_banned(db: Executor, user_id: int) -> bool:
    """Whether a ban on the user is in force now."""
    banned: bool = await db.fetchval(
        "SELECT EXISTS (SELECT 1 FROM bans WHERE user_id = $1 AND lifted_at IS NULL)", user_id
    )
    return banned
