"""What the renderers read, named in one small interface: the only module of `delivery/render/`
that knows the data layer. A renderer asks `self.reads`; a test or another store can pass
other functions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from vodiy_bozor.db import Executor
from vodiy_bozor.db import admin_actions as db_admin_actions
from vodiy_bozor.db import ads as db_ads
from vodiy_bozor.db import assistant as db_assistant
from vodiy_bozor.db import bans as db_bans
from vodiy_bozor.db import promotions as db_promo
from vodiy_bozor.db import saved_searches as db_saved_searches
from vodiy_bozor.db import users as db_users
from vodiy_bozor.db.admin_actions import AdminAction
from vodiy_bozor.db.bans import Ban
from vodiy_bozor.db.promotions import Promotion
from vodiy_bozor.models import Ad, ChannelPost, SavedSearch, User


@dataclass(frozen=True, slots=True)
class Reads:
    user: Callable[[Executor, int], Awaitable[User | None]] = db_users.get_user
    ad: Callable[[Executor, int], Awaitable[Ad | None]] = db_ads.get_ad
    first_post: Callable[[Executor, int], Awaitable[ChannelPost | None]] = db_ads.first_post
    # (submitted, approved) ads of a seller
    seller_counts: Callable[[Executor, int], Awaitable[tuple[int, int]]] = db_ads.seller_counts
    # the message id of an ad's card with an admin, and the keyboard they have open under it
    admin_card: Callable[[Executor, int, int], Awaitable[int | None]] = db_ads.admin_card
    admin_card_keyboard: Callable[[Executor, int, int], Awaitable[str | None]] = (
        db_ads.admin_card_keyboard
    )
    is_banned: Callable[[Executor, int], Awaitable[bool]] = db_bans.is_banned
    active_ban: Callable[[Executor, int], Awaitable[Ban | None]] = db_bans.active_ban
    ad_history: Callable[[Executor, int], Awaitable[list[AdminAction]]] = (
        db_admin_actions.ad_history
    )
    hashed_photos: Callable[[Executor, int], Awaitable[int]] = db_assistant.hashed_photos
    saved_search: Callable[[Executor, int], Awaitable[SavedSearch | None]] = (
        db_saved_searches.get_saved_search
    )
    promotion: Callable[[Executor, str], Awaitable[Promotion | None]] = db_promo.get
