"""The dispatcher factory: middlewares, the services handlers receive, and the order of routers
live here and only here.

Handlers are module-level functions; each handler module's `setup()` registers them on a new
router, because an aiogram Router can be attached to one Dispatcher only and tests build
several. What handlers need arrives as their parameters from the dispatcher's workflow data
(https://docs.aiogram.dev/en/latest/dispatcher/dependency_injection.html): the services below,
plus aiogram's own (`bot`, `state`, `event_from_user`) and the middlewares' (`t`, `lang`).
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.types import Update

from vodiy_bozor.bot import keyboards
from vodiy_bozor.bot.awaited import EscapeMiddleware
from vodiy_bozor.bot.draft import DraftStore
from vodiy_bozor.bot.filters import Gate
from vodiy_bozor.bot.handlers import (
    ad_page,
    admin,
    catalogue,
    fallback,
    inline,
    membership,
    my_ads,
    new_ad,
    promote,
    quick_post,
    saved_searches,
    search,
    start,
)
from vodiy_bozor.bot.handlers import (
    moderation as moderation_handlers,
)
from vodiy_bozor.bot.middlewares import InFlight, RegistryMiddleware
from vodiy_bozor.bot.user_registry import UserRegistry
from vodiy_bozor.captions import Captions
from vodiy_bozor.models import Lang
from vodiy_bozor.runtime.metrics import Metrics
from vodiy_bozor.services.buyers import Buyers
from vodiy_bozor.services.listings import Listings
from vodiy_bozor.services.moderation import Moderation
from vodiy_bozor.services.promotions import Promotions
from vodiy_bozor.telegram.fsm_storage import PostgresStorage
from vodiy_bozor.telegram.intake import Intake, SharedAlbums, UserLocks, user_of
from vodiy_bozor.texts import Texts


class VodiyDispatcher(Dispatcher):
    """aiogram's dispatcher with our intake in front (`telegram/intake.py`): every update, polled
    or posted to the webhook, passes it before aiogram's middlewares and locks."""

    def __init__(self, *, intake: Intake, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.intake = intake

    async def feed_update(self, bot: Bot, update: Update, **kwargs: Any) -> Any:
        return await self.intake.admit(super().feed_update, bot, update, **kwargs)


def too_fast(texts: Texts) -> Any:
    """The one answer a flooding user gets (at most once a minute), in their client's
    language: no database read for someone sending hundreds of messages."""

    async def answer(bot: Bot, update: Update) -> None:
        user = getattr(update.event, "from_user", None)
        user_id = user_of(update)
        if user is None or user_id is None or update.message is None:
            return  # a button press is not answered: a message would only add to the flood
        lang = Lang.from_telegram(user.language_code)
        await bot.send_message(user_id, texts.get(lang, "too-fast"))

    return answer


def build_dispatcher(
    *,
    storage: PostgresStorage,
    listings: Listings,
    moderation: Moderation,
    buyers: Buyers,
    texts: Texts,
    captions: Captions,
    registry: UserRegistry,
    intake: Intake | None = None,
    shared_albums: SharedAlbums | None = None,
    metrics: Metrics | None = None,
    promotions: Promotions | None = None,
    catalogue_url: str | None = None,
) -> tuple[Dispatcher, InFlight]:
    keyboards.use_catalogue(catalogue_url)
    # Event isolation serialises the updates of one user inside this process: the photos of an
    # album arrive as separate updates at the same moment and must not race on the draft.
    # Across processes the draft's SQL updates are atomic on their own.
    dp = VodiyDispatcher(
        intake=intake
        or Intake(too_fast=too_fast(texts), exempt=moderation.is_admin, shared=shared_albums),
        storage=storage,
        events_isolation=UserLocks(),
        # The services, by the names handlers declare them with.
        listings=listings,
        moderation=moderation,
        buyers=buyers,
        texts=texts,
        captions=captions,
        registry=registry,
        drafts=DraftStore(storage),
        promotions=promotions,
    )
    in_flight = InFlight(metrics)
    dp.update.outer_middleware(in_flight)
    dp.update.outer_middleware(RegistryMiddleware(registry, texts))
    # Every command and menu button ends a question awaiting a typed answer (bot/awaited.py),
    # whichever router then handles it.
    dp.message.outer_middleware(
        EscapeMiddleware(
            [
                (moderation_handlers.REASON_QUESTION, moderation.is_admin),
                (search.SEARCH_QUESTION, None),
            ]
        )
    )

    # What must come before the dialog, behind one gate (bot/filters.py, Gate): a message or a
    # button press none of them can take (nearly every update of a dialog) skips them at once.
    first = Router(name="before_the_dialog")
    first.include_routers(
        membership.setup(),
        promote.setup(),  # payments first: a successful_payment must never meet a dialog step
        moderation_handlers.setup(),  # before the dialog: an admin may be typing a reason
        ad_page.setup(),  # `/start ad_<id>` before /start: a buyer's link works any time
        start.setup(),  # /start, /help, /lang work in the middle of a dialog too
    )
    for observer in (first.message, first.callback_query):
        gate = Gate.of(first, observer.event_name)
        if gate is not None:
            observer.filter(gate)
    dp.include_routers(
        first,
        new_ad.setup(),  # during the dialog, "My ads", 🔎 and others get a re-prompt
        my_ads.setup(),
        catalogue.setup(),  # 🛍 (WEBAPP_URL); during the dialog it gets the re-prompt too
        saved_searches.setup(),
        search.setup(),  # after the others: typed text is words only when it asked for them
        inline.setup(),
        admin.setup(),
        quick_post.setup(),  # an ad sent whole outside the dialog, before "not understood"
        fallback.setup(),  # last: catches what nobody else handled
    )
    return dp, in_flight
