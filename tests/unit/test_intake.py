"""The intake in front of the dispatcher: per-user caps, albums taken whole, and a lock table
that empties itself. Pure asyncio: the updates are aiogram objects, the "dispatcher" a
function that records what it was fed."""

from __future__ import annotations

import asyncio
from typing import Any

from aiogram.fsm.storage.base import StorageKey
from aiogram.types import Update

from vodiy_bozor.telegram.intake import AlbumPart, Intake, UserLocks


def message(update_id: int, user_id: int, *, group: str | None = None) -> Update:
    payload: dict[str, Any] = {
        "message_id": update_id,
        "date": 0,
        "chat": {"id": user_id, "type": "private"},
        "from": {"id": user_id, "is_bot": False, "first_name": "U"},
        "text": f"m{update_id}",
    }
    if group is not None:
        payload["media_group_id"] = group
    return Update.model_validate({"update_id": update_id, "message": payload})


async def test_one_user_over_the_cap_is_dropped_and_warned_once_others_pass() -> None:
    release = asyncio.Event()
    six_in = asyncio.Event()
    fed: list[int] = []
    warned: list[int] = []

    async def feed(bot: Any, update: Update, **_: Any) -> None:
        fed.append(update.update_id)
        if len(fed) == 6:
            six_in.set()
        await release.wait()  # the flooder's updates stay in flight

    async def too_fast(bot: Any, update: Update) -> None:
        warned.append(update.update_id)

    intake = Intake(per_user=5, slots=100, too_fast=too_fast)
    flood = [asyncio.create_task(intake.admit(feed, None, message(i, 1))) for i in range(30)]
    other = asyncio.create_task(intake.admit(feed, None, message(100, 2)))
    await asyncio.wait_for(six_in.wait(), 5)  # tasks start in order: the drops came first
    assert sorted(fed) == [0, 1, 2, 3, 4, 100]  # five of the flood, and the other user at once
    assert intake.dropped == 25
    assert len(warned) == 1  # one "too fast" answer, not 25
    release.set()
    await asyncio.gather(*flood, other)


async def test_an_admin_is_never_capped() -> None:
    fed: list[int] = []

    async def feed(bot: Any, update: Update, **_: Any) -> None:
        fed.append(update.update_id)
        await asyncio.sleep(0)

    intake = Intake(per_user=2, exempt=lambda user_id: user_id == 9)
    await asyncio.gather(*(intake.admit(feed, None, message(i, 9)) for i in range(10)))
    assert sorted(fed) == list(range(10))


async def test_a_payment_passes_the_cap_of_a_flooding_user() -> None:
    """A paid lift's pre-checkout query (answered within 10 s or the payment fails) and its
    successful payment (the Stars are already taken) pass even while the payer floods."""
    release = asyncio.Event()
    capped = asyncio.Event()
    fed: list[int] = []

    async def feed(bot: Any, update: Update, **_: Any) -> None:
        fed.append(update.update_id)
        if update.update_id < 100:
            if len(fed) == 2:
                capped.set()
            await release.wait()  # the flood stays in flight

    sender = {"id": 1, "is_bot": False, "first_name": "U"}
    paid = message(101, 1).model_dump(exclude_none=True, by_alias=True)
    del paid["message"]["text"]
    paid["message"]["successful_payment"] = {
        "currency": "XTR",
        "total_amount": 50,
        "invoice_payload": "lift:1",
        "telegram_payment_charge_id": "c1",
        "provider_payment_charge_id": "",
    }
    checkout = {
        "update_id": 100,
        "pre_checkout_query": {
            "id": "q1",
            "from": sender,
            "currency": "XTR",
            "total_amount": 50,
            "invoice_payload": "lift:1",
        },
    }
    intake = Intake(per_user=2)
    flood = [asyncio.create_task(intake.admit(feed, None, message(i, 1))) for i in range(5)]
    await asyncio.wait_for(capped.wait(), 5)  # two in flight, three dropped
    await intake.admit(feed, None, Update.model_validate(checkout))
    await intake.admit(feed, None, Update.model_validate(paid))
    await intake.admit(feed, None, message(102, 1))  # an ordinary message is still capped
    assert sorted(fed) == [0, 1, 100, 101]
    assert intake.dropped == 4
    release.set()
    await asyncio.gather(*flood)


async def test_an_album_is_fed_whole_in_order_with_each_part_told_its_place() -> None:
    fed: list[tuple[int, AlbumPart | None]] = []

    async def feed(bot: Any, update: Update, **kwargs: Any) -> None:
        fed.append((update.update_id, kwargs.get("album")))

    intake = Intake(album_wait=0.05, album_max_wait=1.0)
    parts = [message(i, 3, group="g1") for i in (12, 10, 11)]  # out of order, as they arrive
    await asyncio.gather(*(intake.admit(feed, None, part) for part in parts))
    assert [u for u, _ in fed] == [10, 11, 12]
    assert [part for _, part in fed] == [AlbumPart(0, 3), AlbumPart(1, 3), AlbumPart(2, 3)]
    assert [part.last for _, part in fed if part] == [False, False, True]


async def test_the_lock_table_empties_when_nobody_holds_a_lock() -> None:
    locks = UserLocks()
    order: list[str] = []

    async def work(user: int, name: str) -> None:
        async with locks.lock(StorageKey(bot_id=1, chat_id=user, user_id=user)):
            order.append(f"{name}+")
            await asyncio.sleep(0)
            order.append(f"{name}-")

    await asyncio.gather(*(work(i % 3, f"u{i}") for i in range(9)))
    # One user's updates never overlap.
    for user in range(3):
        mine = [e for e in order if int(e[1:-1]) % 3 == user]
        assert all(a[:-1] == b[:-1] for a, b in zip(mine[::2], mine[1::2], strict=True))
    assert locks.keys_held == 0
    assert bool(locks)  # aiogram replaces a falsy isolation with none at all


async def test_closing_the_lock_table_while_a_lock_is_held_breaks_nothing() -> None:
    locks = UserLocks()
    key = StorageKey(bot_id=1, chat_id=5, user_id=5)
    async with locks.lock(key):
        await locks.close()  # the dispatcher stops while this update is still handled
    assert locks.keys_held == 0
    async with locks.lock(key):  # and the table works as before
        assert locks.keys_held == 1
