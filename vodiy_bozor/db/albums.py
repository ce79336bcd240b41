"""The parts of albums that webhook instances share (telegram/intake.py): each instance writes
the parts it received; the one that claimed the album takes them all when it is whole."""

from __future__ import annotations

from datetime import timedelta

from vodiy_bozor.db import Conn, Executor


async def add_part(db: Executor, group: str, update_id: int, message_id: int, body: str) -> bool:
    """Store one part of album `group` and note that a part came now; True when this part
    claimed the album (it was the first), so its instance collects and feeds the album.

    One statement: the part and the album row commit together, so the instance that takes the
    album (`take`, which deletes the album row first) either sees this part or leaves this part
    to start an album of its own; it never deletes the row and misses the part."""
    claimed: bool = await db.fetchval(
        """
        WITH part AS (
            INSERT INTO album_parts (media_group_id, update_id, message_id, body)
            VALUES ($1, $2, $3, $4)
            ON CONFLICT DO NOTHING
        )
        INSERT INTO albums (media_group_id, first_update) VALUES ($1, $2)
        ON CONFLICT (media_group_id) DO UPDATE SET last_part_at = clock_timestamp()
        RETURNING albums.first_update = $2
        """,
        group,
        update_id,
        message_id,
        body,
    )
    return claimed


async def quiet_for(db: Executor, group: str) -> float | None:
    """Seconds since the latest part of album `group` came (None: no such album). Measured
    with the database's clock, the one `add_part` wrote with, so instances' clocks may differ."""
    seconds = await db.fetchval(
        "SELECT extract(epoch FROM clock_timestamp() - last_part_at)::float8"
        " FROM albums WHERE media_group_id = $1",
        group,
    )
    return None if seconds is None else float(seconds)


async def take(conn: Conn, group: str) -> list[tuple[int, str]]:
    """Remove album `group` and return its parts, (update_id, body) in message order.

    The album row goes first, in its own statement: a part being added at this moment holds
    that row, so the DELETE waits for it, and the parts' DELETE after it (a new snapshot under
    READ COMMITTED, https://www.postgresql.org/docs/current/transaction-iso.html) sees that
    part. A part that comes after finds no album row and starts a new album."""
    async with conn.transaction():
        await conn.execute("DELETE FROM albums WHERE media_group_id = $1", group)
        rows = await conn.fetch(
            """
            WITH gone AS (
                DELETE FROM album_parts WHERE media_group_id = $1
                RETURNING update_id, message_id, body
            )
            SELECT update_id, body FROM gone ORDER BY message_id
            """,
            group,
        )
    return [(row["update_id"], row["body"]) for row in rows]


async def prune(db: Executor, older_than: float) -> int:
    """Forget albums and parts older than `older_than` seconds (their instance stopped before
    feeding them); how many parts."""
    age = timedelta(seconds=older_than)
    await db.execute("DELETE FROM albums WHERE last_part_at < now() - $1::interval", age)
    result: str = await db.execute(
        "DELETE FROM album_parts WHERE arrived_at < now() - $1::interval", age
    )
    return int(result.split()[-1])
