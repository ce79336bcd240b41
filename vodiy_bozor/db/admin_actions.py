"""The admins' actions, kept for the cards' history and the assistant's scoring: approve,
reject, category (the change itself is here too), ban and unban."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from vodiy_bozor.db import Conn, Executor
from vodiy_bozor.models import Category


@dataclass(frozen=True, slots=True)
class AdminAction:
    ad_id: int | None
    admin_id: int
    action: str
    detail: str | None
    user_id: int | None
    at: datetime


async def record_action(
    db: Executor,
    *,
    ad_id: int | None,
    admin_id: int,
    action: str,
    detail: str | None = None,
    user_id: int | None = None,
    at: datetime | None = None,
) -> None:
    """Keep one admin action: approve, reject, category, ban or unban (who, when, detail)."""
    await db.execute(
        """
        INSERT INTO admin_actions (ad_id, admin_id, action, detail, user_id, at)
        VALUES ($1, $2, $3, $4, $5, coalesce($6, now()))
        """,
        ad_id,
        admin_id,
        action,
        detail,
        user_id,
        at,
    )


async def ad_history(db: Executor, ad_id: int) -> list[AdminAction]:
    """The admins' actions on an ad (and bans of its owner), oldest first: the card's history."""
    rows = await db.fetch(
        """
        SELECT ad_id, admin_id, action, detail, user_id, at FROM admin_actions
         WHERE ad_id = $1 ORDER BY at, id
        """,
        ad_id,
    )
    return [
        AdminAction(r["ad_id"], r["admin_id"], r["action"], r["detail"], r["user_id"], r["at"])
        for r in rows
    ]


async def set_category(conn: Conn, ad_id: int, category: Category, *, admin_id: int) -> bool:
    """An admin changed a pending ad's category (before approving); logged. False when the ad
    is no longer pending."""
    async with conn.transaction():
        row = await conn.fetchrow(
            "UPDATE ads SET category = $2 WHERE id = $1 AND status = 'pending' RETURNING owner_id",
            ad_id,
            category.value,
        )
        if row is None:
            return False
        await record_action(
            conn, ad_id=ad_id, admin_id=admin_id, action="category", detail=category.value
        )
    return True
