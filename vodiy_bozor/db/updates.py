"""Which updates the webhook instances have taken (each is handled once across instances)."""

from __future__ import annotations

from datetime import timedelta

from vodiy_bozor.db import Executor


async def first_time(db: Executor, update_id: int) -> bool:
    """Note the update as taken; False when some instance took it already."""
    row = await db.fetchrow(
        "INSERT INTO handled_updates (update_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING 1",
        update_id,
    )
    return row is not None


async def prune(db: Executor, older_than: float) -> int:
    """Forget updates taken more than `older_than` seconds ago; how many."""
    result: str = await db.execute(
        "DELETE FROM handled_updates WHERE taken_at < now() - $1::interval",
        timedelta(seconds=older_than),
    )
    return int(result.split()[-1])
