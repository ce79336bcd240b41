"""Job schedules: each job's next due time lives in a row, claimed atomically.

A claim is a conditional UPDATE: of several bot processes, exactly one moves a due job's time
forward, and runs it in the same transaction. A restart finds the schedule where it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from vodiy_bozor.db import Conn, Executor


@dataclass(frozen=True, slots=True)
class JobRun:
    name: str
    last_ad_id: int | None


async def ensure(db: Executor, name: str, interval: float) -> None:
    """Create the job's row, due one interval from now; an existing row whose next run is
    further away than one interval (the interval was shortened) is brought forward."""
    await db.execute(
        """
        INSERT INTO jobs AS j (name, next_run_at) VALUES ($1, now() + $2::interval)
        ON CONFLICT (name) DO UPDATE
           SET next_run_at = least(j.next_run_at, now() + $2::interval)
        """,
        name,
        timedelta(seconds=interval),
    )


async def claim(conn: Conn, name: str, interval: float) -> JobRun | None:
    """Take the job if it is due, and schedule its next run. Run it in the same transaction.

    The next run keeps to the rhythm (previous due time + interval); after a long stop it
    starts again from now rather than catching up with a burst of missed runs.
    """
    row = await conn.fetchrow(
        """
        UPDATE jobs
           SET last_run_at = now(),
               next_run_at = greatest(next_run_at + $2::interval, now() + $2::interval / 2)
         WHERE name = $1 AND next_run_at <= now()
        RETURNING name, last_ad_id
        """,
        name,
        timedelta(seconds=interval),
    )
    return JobRun(row["name"], row["last_ad_id"]) if row else None


async def set_last_ad(conn: Conn, name: str, ad_id: int) -> None:
    await conn.execute("UPDATE jobs SET last_ad_id = $2 WHERE name = $1", name, ad_id)


async def seconds_until(db: Executor, name: str) -> float | None:
    value: float | None = await db.fetchval(
        "SELECT extract(epoch FROM next_run_at - now())::float8 FROM jobs WHERE name = $1", name
    )
    return value


async def last_runs(db: Executor) -> dict[str, datetime | None]:
    rows = await db.fetch("SELECT name, last_run_at FROM jobs ORDER BY name")
    return {r["name"]: r["last_run_at"] for r in rows}


async def now(conn: Conn) -> datetime:
    """The database's clock: the transaction's start, the time every schedule is measured in."""
    at: datetime = await conn.fetchval("SELECT now()")
    return at
