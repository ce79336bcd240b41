"""The dispatcher factory: middlewares and the order of routers live here and only here.

Routers are built by functions, not at module level, because an aiogram Router can be attached
to one Dispatcher only and tests build several.
"""

from __future__ import annotations

from aiogram import Dispatcher
from aiogram.fsm.storage.memory import SimpleEventIsolation

from vodiy_bozor.app import App
from vodiy_bozor.bot.fsm_storage import PostgresStorage
from vodiy_bozor.bot.handlers import (
    admin,
    fallback,
    membership,
    moderation,
    my_ads,
    new_ad,
    sold_check,
    start,
)
from vodiy_bozor.bot.middlewares import InFlight, RegistryMiddleware


def build_dispatcher(app: App) -> tuple[Dispatcher, InFlight]:
    # Event isolation serialises the updates of one user inside this process: the photos of an
    # album arrive as separate updates at the same moment and must not race on the draft.
    # Across processes the draft's SQL updates are atomic on their own.
    dp = Dispatcher(storage=PostgresStorage(app.pool), events_isolation=SimpleEventIsolation())
    dp["app"] = app
    in_flight = InFlight()
    dp.update.outer_middleware(in_flight)
    dp.update.outer_middleware(RegistryMiddleware(app.registry, app.texts))

    dp.include_routers(
        membership.build_router(),
        moderation.build_router(app),  # before the dialog: an admin may be typing a reason
        start.build_router(app.texts),  # /start, /help, /lang work in the middle of a dialog too
        new_ad.build_router(app),  # during the dialog, "My ads" and others get a re-prompt
        my_ads.build_router(app),
        sold_check.build_router(app),
        admin.build_router(app),
        fallback.build_router(),  # last: catches what nobody else handled
    )
    return dp, in_flight
