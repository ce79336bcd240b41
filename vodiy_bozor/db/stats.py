"""Counts for the admins' /stats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from vodiy_bozor.db import Executor


@dataclass(frozen=True, slots=True)
class UserCounts:
    total: int
    new_this_week: int
    blocked: int


async def users(db: Executor) -> UserCounts:
    row = await db.fetchrow(
        """
        SELECT count(*) AS total,
               count(*) FILTER (WHERE first_seen > now() - interval '7 days') AS new_week,
               count(*) FILTER (WHERE blocked) AS blocked
          FROM users
        """
    )
    assert row is not None
    return UserCounts(row["total"], row["new_week"], row["blocked"])


async def reposts_since(db: Executor, seconds: int) -> int:
    value: int = await db.fetchval(
        """
        SELECT count(*) FROM ad_posts
         WHERE is_repost AND position = 0 AND posted_at > now() - $1::interval
        """,
        timedelta(seconds=seconds),
    )
    return value
