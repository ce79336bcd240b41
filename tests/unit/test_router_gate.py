"""The gate in front of the routers that come before the dialog (bot/filters.py, `Gate`): it
passes whatever one of their handlers could take, and nothing else."""

from __future__ import annotations

from typing import Any, cast

import pytest
from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message, TelegramObject, User

from vodiy_bozor.bot.callbacks import DraftAction, DraftCb, LangCb, PromoCb
from vodiy_bozor.bot.dispatcher import build_dispatcher
from vodiy_bozor.bot.filters import Gate, Label, Match
from vodiy_bozor.models import Lang
from vodiy_bozor.services.moderation import Moderation
from vodiy_bozor.services.promotions import PromoKind
from vodiy_bozor.texts import load_texts

ADMIN, SELLER = 7, 501
TEXTS = load_texts()
MODERATION = Moderation(cast("Any", None), channel="@vodiy", admin_ids=[ADMIN])


def _gates() -> dict[str, Gate]:
    """The gates of the real dispatcher's first router, by update type."""
    nothing = cast("Any", None)
    dp, _ = build_dispatcher(
        storage=nothing,
        listings=nothing,
        moderation=MODERATION,
        buyers=nothing,
        texts=TEXTS,
        captions=nothing,
        registry=nothing,
        metrics=None,
    )
    first = dp.sub_routers[0]
    gates = {}
    for observer in (first.message, first.callback_query):
        [gate] = [
            f.callback for f in observer._handler.filters or () if isinstance(f.callback, Gate)
        ]
        gates[observer.event_name] = gate
    return gates


GATES = _gates()


def _user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "A"}


def _message(user_id: int = SELLER, **content: Any) -> Message:
    return Message.model_validate(
        {
            "message_id": 1,
            "date": 1700000000,
            "chat": {"id": user_id, "type": "private"},
            "from": _user(user_id),
            **content,
        }
    )


def _press(data: str, user_id: int = SELLER) -> CallbackQuery:
    return CallbackQuery.model_validate(
        {"id": "1", "from": _user(user_id), "chat_instance": "c", "data": data}
    )


async def _passes(event: TelegramObject, user_id: int = SELLER) -> bool:
    kind = "message" if isinstance(event, Message) else "callback_query"
    user = User.model_validate(_user(user_id))
    return await GATES[kind](event, TEXTS, MODERATION, event_from_user=user)


@pytest.mark.parametrize(
    "text",
    [
        "/start",
        "/start ad_12",
        "  /help",
        "/lang",
        "/terms",
        "/paysupport",
        *(TEXTS.get(lang, "menu-help") for lang in Lang),
        *(TEXTS.get(lang, "menu-lang") for lang in Lang),
    ],
)
async def test_a_command_or_a_label_of_theirs_passes(text: str) -> None:
    assert await _passes(_message(text=text))


async def test_a_command_in_a_caption_and_a_payment_pass() -> None:
    assert await _passes(_message(photo=[_photo()], caption="/start"))
    payment = {
        "currency": "XTR",
        "total_amount": 50,
        "invoice_payload": "p",
        "telegram_payment_charge_id": "c",
        "provider_payment_charge_id": "",
    }
    assert await _passes(_message(successful_payment=payment))


def _photo() -> dict[str, Any]:
    return {"file_id": "f", "file_unique_id": "u", "width": 9, "height": 9}


@pytest.mark.parametrize(
    "text",
    ["12,5 млн", "Самсунг A52, қутиси бор", "90 123-45-67", TEXTS.get(Lang.UZ_CYRL, "menu-new-ad")],
)
async def test_a_sellers_answer_in_the_dialog_does_not_pass(text: str) -> None:
    assert not await _passes(_message(text=text))
    assert not await _passes(_message(photo=[_photo()], caption=text))
    assert not await _passes(_message(photo=[_photo()]))


async def test_anything_from_an_admin_passes() -> None:
    # An admin may be typing a rejection's reason, whatever it says.
    assert await _passes(_message(ADMIN, text="Хира расм"), ADMIN)
    assert await _passes(_press(DraftCb(action=DraftAction.SUBMIT).pack(), ADMIN), ADMIN)


async def test_only_their_buttons_pass() -> None:
    assert await _passes(_press(LangCb(lang=Lang.RU).pack()))
    assert await _passes(_press(PromoCb(kind=PromoKind.LIFT, ad_id=5).pack()))
    assert not await _passes(_press(DraftCb(action=DraftAction.SUBMIT).pack()))
    assert not await _passes(_press("lang1x:ru"))  # a prefix of another button's prefix
    assert not await _passes(_press(""))


def test_a_handler_the_gate_cannot_rule_out_means_no_gate() -> None:
    group = Router()
    known = Router()
    known.message.register(_noop, Command("help"))
    known.message.register(_noop, Label("menu-help"))
    group.include_router(known)
    assert Gate.of(group, "message") == Gate(command_prefixes="/", labels=frozenset({"menu-help"}))
    unknown = Router()
    unknown.message.register(_noop, Match(F.text == "x"))
    group.include_router(unknown)
    assert Gate.of(group, "message") is None


async def _noop(message: Message) -> None:
    return None
