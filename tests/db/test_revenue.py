"""/revenue's figures: the header (the sum of the days) and the lines by kind count the same
payments, over the same 30 local days."""

from __future__ import annotations

from typing import Any, TypeAlias

import asyncpg

from tests.db.test_search import SELLER, publish_ad
from vodiy_bozor.db import promotions as db_promo

Conn: TypeAlias = "asyncpg.Connection[Any]"
TZ = "Asia/Tashkent"
DAYS = 30


async def test_the_days_and_the_kinds_count_the_same_payments(db: Conn) -> None:
    ad_id = await publish_ad(db, "Damas 2015")
    for charge, kind, stars in (("today", "lift", 50), ("oldest", "pin", 200)):
        assert await db_promo.record(
            db, charge_id=charge, user_id=SELLER, ad_id=ad_id, kind=kind, stars=stars
        )
    # One minute before the first of the 30 local days: outside the days listed, yet less
    # than 30 times 24 hours ago (except in the last minute of a local day).
    await db.execute(
        """
        UPDATE promotions
           SET paid_at = ((date_trunc('day', now() AT TIME ZONE $1) - interval '29 days'
                           - interval '1 minute') AT TIME ZONE $1)
         WHERE charge_id = 'oldest'
        """,
        TZ,
    )
    days = await db_promo.revenue_by_day(db, DAYS, TZ)
    kinds = await db_promo.revenue_by_kind(db, DAYS, TZ)
    assert sum(d.received for d in days) == 50
    assert sum(k.received for k in kinds) == sum(d.received for d in days)
    assert [k.kind for k in kinds] == ["lift"]
