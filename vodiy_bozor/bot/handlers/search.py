"""Buyers search: 🔎 or /search, the words, then results five a page with filters as buttons.

Where the search lives: the words can be as long as a message and do not fit in 64 bytes of
callback data (https://core.telegram.org/bots/api#inlinekeyboardbutton), so the query and the
filters are a `BuyerSearch` in a conversation row of their own (aiogram's "destiny"), beside
the seller's ad draft in the main one, so searching never touches a draft. During the ad
dialog its router comes first and keeps its rule that every message is an answer or gets the
question again (🔎 included): a seller is not pulled out of a half-written ad; the results
buttons of an earlier search still work, and /cancel or finishing the ad frees 🔎. The
buttons carry only the page and the search's version: a new search bumps the version, so
◀ ▶ under an older results message are answered as outdated rather than acting on the new
words.

Bad input is answered, never raised: a query with no words (emoji, `% _ \\ ' ( ) *`), an
overlong query, a price range that cannot be read or is upside down (the exchanged one is
offered as a button), a page that emptied because ads sold (back to the first page).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from vodiy_bozor.bot import keyboards
from vodiy_bozor.bot.awaited import AWAITING, UNTIL, Awaited, SideQuestion
from vodiy_bozor.bot.callbacks import MAX_PAGE, SearchAction, SearchCb
from vodiy_bozor.bot.filters import AnswerAs, Label, PrivateChat
from vodiy_bozor.captions import Captions, summary
from vodiy_bozor.models import (
    MAX_SAVED_SEARCHES,
    Category,
    Currency,
    Price,
    PriceRange,
    Region,
    SearchFilters,
    SearchHit,
)
from vodiy_bozor.services.buyers import Buyers
from vodiy_bozor.text.fold import query_terms
from vodiy_bozor.text.price_range import PriceRangeError, PriceRangeProblem, parse_price_range
from vodiy_bozor.texts import Markup, Translator, escape

log = logging.getLogger(__name__)

PAGE_SIZE = 5
QUERY_LIMIT = 200  # characters; a query is a few words, not a message
TYPING_WAIT = 600.0  # seconds the bot takes typed text as words or a price after asking
SEARCH_DESTINY = "buyer_search"


class Awaiting:
    WORDS = "words"
    PRICE = "price"


# The shared construct of a typed answer (bot/awaited.py): the words or the price range are the
# next typed text within TYPING_WAIT; every command and every menu button escapes it.
SEARCH_QUESTION = SideQuestion(
    SEARCH_DESTINY, kinds=frozenset({Awaiting.WORDS, Awaiting.PRICE}), wait=TYPING_WAIT
)


@dataclass(frozen=True, slots=True)
class BuyerSearch:
    """A buyer's current search. `awaiting`: what typed text means until `until` (the words
    after 🔎, a price range after 💰); `offered`: the exchanged ends of an upside-down range."""

    query: str = ""
    category: Category | None = None
    region: Region | None = None
    price: PriceRange | None = None
    version: int = 0
    awaiting: str | None = None
    until: float = 0.0
    offered: PriceRange | None = None

    @property
    def filters(self) -> SearchFilters:
        return SearchFilters(self.category, self.region, self.price)

    def to_json(self) -> dict[str, Any]:
        return {
            "q": self.query,
            "c": self.category.value if self.category else None,
            "r": self.region.value if self.region else None,
            "p": _range_json(self.price),
            "v": self.version,
            AWAITING: self.awaiting,  # the side question's own keys (bot/awaited.py)
            UNTIL: self.until,
            "o": _range_json(self.offered),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BuyerSearch:
        """What no longer parses (a damaged row, an old code) loads as unset."""
        try:
            category = Category(data["c"]) if data.get("c") else None
        except ValueError:
            category = None
        try:
            region = Region(data["r"]) if data.get("r") else None
        except ValueError:
            region = None
        awaiting = data.get(AWAITING)
        return cls(
            query=str(data.get("q") or ""),
            category=category,
            region=region,
            price=_range_of(data.get("p")),
            version=int(data.get("v") or 0),
            awaiting=awaiting if awaiting in (Awaiting.WORDS, Awaiting.PRICE) else None,
            until=float(data.get(UNTIL) or 0.0),
            offered=_range_of(data.get("o")),
        )


def _range_json(price: PriceRange | None) -> list[Any] | None:
    return None if price is None else [price.minimum, price.maximum, price.currency.value]


def _range_of(value: Any) -> PriceRange | None:
    try:
        low, high, currency = value
        return PriceRange(low, high, Currency(currency))
    except (TypeError, ValueError):
        return None


def search_of(state: FSMContext) -> FSMContext:
    """The buyer's search conversation, beside their main one (the ad draft)."""
    return SEARCH_QUESTION.context(state)


async def load(state: FSMContext) -> BuyerSearch:
    return BuyerSearch.from_json(await search_of(state).get_data())


async def store(state: FSMContext, search: BuyerSearch) -> None:
    await search_of(state).set_data(search.to_json())


def _typed_for_search(awaited: Awaited) -> dict[str, Any]:
    """The buyer was asked for words or a price, and this plain text is the answer (commands
    and menu buttons are not: they do what they say)."""
    return {"search": BuyerSearch.from_json(awaited.data)}


# -- rendering -----------------------------------------------------------------------------------


def age(t: Translator, moment: datetime, now: datetime | None = None) -> str:
    """“2 кун олдин”: how long ago, in the largest whole unit."""
    seconds = ((now or datetime.now(UTC)) - moment).total_seconds()
    minutes = int(seconds // 60)
    if minutes < 1:
        return t("age-now")
    if minutes < 60:
        return t("age-minutes", n=minutes)
    if minutes < 24 * 60:
        return t("age-hours", n=minutes // 60)
    return t("age-days", n=minutes // (24 * 60))


def range_label(t: Translator, captions: Captions, price: PriceRange) -> str:
    def amount(value: int) -> str:
        return captions.price(t.lang, Price(value, price.currency))

    if price.minimum is not None and price.maximum is not None:
        return f"{amount(price.minimum)} – {amount(price.maximum)}"
    if price.maximum is not None:
        return f"≤ {amount(price.maximum)}"
    assert price.minimum is not None
    return f"≥ {amount(price.minimum)}"


def _place(t: Translator, hit: SearchHit) -> str:
    place = t(f"region-{hit.region.value}")
    return f"{place}, {hit.district}" if hit.district else place


def _item(t: Translator, captions: Captions, n: int, hit: SearchHit) -> str:
    text = escape(summary(hit.description, 90))
    if hit.post_chat_id is not None and hit.post_message_id is not None:
        link = captions.link_to(hit.post_chat_id, hit.post_message_id)
        text = Markup(f'<a href="{escape(link)}">{text}</a>')
    if hit.lifted:  # a paid lift: it stands first, and says why
        text = Markup(f"🚀 {text}")
    return t(
        "search-item",
        n=str(n),
        summary=Markup(text),
        price=captions.price(t.lang, hit.price),
        place=_place(t, hit),
        age=age(t, hit.published_at),
    )


async def results(
    t: Translator, buyers: Buyers, captions: Captions, search: BuyerSearch, page: int
) -> tuple[str, InlineKeyboardMarkup, bool]:
    """The results page: text, buttons, and whether the page had any ads (an emptied page
    after ads sold comes back as the first page)."""
    found = await buyers.results(
        query_terms(search.query), search.filters, page=page, size=PAGE_SIZE
    )
    stale = found.page != page
    page, hits = found.page, found.hits
    more = found.more and page < MAX_PAGE  # no ▶ past the deepest page
    query = summary(search.query, 60)
    if hits:
        lines = [t("search-header", query=query, page=str(page + 1))]
        lines += [_item(t, captions, page * PAGE_SIZE + i, h) for i, h in enumerate(hits, 1)]
        text = "\n\n".join(lines)
    else:
        text = t("search-nothing", query=query)
        if search.category or search.region or search.price:
            text += "\n" + t("search-nothing-filters")
        text += "\n" + t("search-nothing-save")
    markup = keyboards.search_results(
        t,
        search.version,
        page=page,
        more=more,
        category=t(f"category-{search.category.value}") if search.category else None,
        region=t(f"region-{search.region.value}") if search.region else None,
        price=range_label(t, captions, search.price) if search.price else None,
    )
    return text, markup, not stale


# -- handlers ------------------------------------------------------------------------------------


async def ask_words(message: Message, t: Translator, state: FSMContext) -> None:
    search = await load(state)
    await store(state, replace(search, awaiting=Awaiting.WORDS, until=time.time() + TYPING_WAIT))
    await message.answer(t("search-ask"))


async def search_command(
    message: Message,
    command: CommandObject,
    t: Translator,
    state: FSMContext,
    buyers: Buyers,
    captions: Captions,
) -> None:
    if not command.args:
        await ask_words(message, t, state)
        return
    await _new_search(message, t, state, buyers, captions, await load(state), command.args)


async def typed(
    message: Message,
    search: BuyerSearch,
    t: Translator,
    state: FSMContext,
    buyers: Buyers,
    captions: Captions,
) -> None:
    assert message.text is not None
    if search.awaiting == Awaiting.PRICE:
        await _price_typed(message, search, t, state, buyers, captions)
        return
    await _new_search(message, t, state, buyers, captions, search, message.text)


async def _new_search(
    message: Message,
    t: Translator,
    state: FSMContext,
    buyers: Buyers,
    captions: Captions,
    search: BuyerSearch,
    text: str,
) -> None:
    """New words: the filters are kept (a buyer refining what they look for in one region
    keeps the region), the page starts over. The bot keeps taking typed words for a while."""
    text = " ".join(text.split())
    until = time.time() + TYPING_WAIT
    if len(text) > QUERY_LIMIT:
        await store(state, replace(search, awaiting=Awaiting.WORDS, until=until))
        await message.answer(t("search-too-long", limit=QUERY_LIMIT))
        return
    if not query_terms(text):
        await store(state, replace(search, awaiting=Awaiting.WORDS, until=until))
        await message.answer(t("search-no-words"))
        return
    search = replace(
        search,
        query=text,
        version=search.version + 1,
        awaiting=Awaiting.WORDS,
        until=until,
        offered=None,
    )
    await store(state, search)
    await _send_results(message, t, buyers, captions, search)


async def _send_results(
    message: Message, t: Translator, buyers: Buyers, captions: Captions, search: BuyerSearch
) -> None:
    text, markup, _ = await results(t, buyers, captions, search, 0)
    await message.answer(text, reply_markup=markup, disable_web_page_preview=True)


_RANGE_PROBLEM = {
    PriceRangeProblem.EMPTY: "search-price-unreadable",
    PriceRangeProblem.NOT_A_PRICE: "search-price-unreadable",
    PriceRangeProblem.MIXED_CURRENCIES: "search-price-mixed",
}


async def _price_typed(
    message: Message,
    search: BuyerSearch,
    t: Translator,
    state: FSMContext,
    buyers: Buyers,
    captions: Captions,
) -> None:
    assert message.text is not None
    try:
        price = parse_price_range(message.text)
    except PriceRangeError as error:
        if error.reason is PriceRangeProblem.UPSIDE_DOWN and error.swapped is not None:
            await store(state, replace(search, offered=error.swapped))
            label = range_label(t, captions, error.swapped)
            await message.answer(
                t("search-price-upside-down"),
                reply_markup=keyboards.swap_price(t, search.version, label),
            )
            return
        await message.answer(t(_RANGE_PROBLEM.get(error.reason, "search-price-unreadable")))
        return
    # Typed text is words again from now on: a new query keeps this price.
    until = time.time() + TYPING_WAIT
    search = replace(search, price=price, awaiting=Awaiting.WORDS, until=until, offered=None)
    await store(state, search)
    await _send_results(message, t, buyers, captions, search)


async def button(
    query: CallbackQuery,
    callback_data: SearchCb,
    t: Translator,
    bot: Bot,
    state: FSMContext,
    buyers: Buyers,
    captions: Captions,
) -> None:
    search = await load(state)
    if callback_data.v != search.version or not search.query:
        await query.answer(t("search-outdated"), show_alert=True)
        return
    action, page = callback_data.action, callback_data.page
    markup: InlineKeyboardMarkup | None = None
    text: str | None = None
    note: str | None = None
    if action in (SearchAction.CATEGORY, SearchAction.REGION):
        regions = action is SearchAction.REGION
        markup = keyboards.search_choices(t, search.version, regions=regions)
        text = t("search-choose-region" if regions else "search-choose-category")
    elif action is SearchAction.PRICE:
        await store(
            state, replace(search, awaiting=Awaiting.PRICE, until=time.time() + TYPING_WAIT)
        )
        await query.answer()
        await bot.send_message(query.from_user.id, t("search-ask-price"))
        return
    elif action is SearchAction.SAVE:
        await _save(query, t, buyers, search)
        return
    else:
        changed = _changed(search, callback_data)
        if changed is None:
            await query.answer(t("search-outdated"), show_alert=True)
            return
        if changed != search:
            search = changed
            await store(state, search)
            page = 0
    if text is None or markup is None:
        text, markup, fresh = await results(t, buyers, captions, search, page)
        if not fresh:
            note = t("search-page-changed")
    await query.answer(note)
    # Under the price offer the results come as a new message; so they do when the message
    # is too old to reach (Bot API: an InaccessibleMessage).
    if action is SearchAction.SWAP_PRICE or not isinstance(query.message, Message):
        await bot.send_message(
            query.from_user.id, text, reply_markup=markup, disable_web_page_preview=True
        )
        return
    await edit_text(bot, query.from_user.id, query.message.message_id, text, markup)


async def edit_text(
    bot: Bot, chat_id: int, message_id: int, text: str, markup: InlineKeyboardMarkup | None
) -> None:
    """Edit a list in place; unchanged is fine, and one that is gone is sent anew."""
    try:
        await bot.edit_message_text(
            text,
            chat_id=chat_id,
            message_id=message_id,
            reply_markup=markup,
            disable_web_page_preview=True,
        )
    except TelegramBadRequest as exc:
        if "message is not modified" in exc.message:
            return
        if "message to edit not found" not in exc.message:
            raise
        await bot.send_message(chat_id, text, reply_markup=markup, disable_web_page_preview=True)


def _changed(search: BuyerSearch, cb: SearchCb) -> BuyerSearch | None:
    """The search after a filter button; None for a value that is no code of ours."""
    action = cb.action
    try:
        if action is SearchAction.SET_CATEGORY:
            return replace(search, category=Category(cb.value))
        if action is SearchAction.SET_REGION:
            return replace(search, region=Region(cb.value))
    except ValueError:
        return None
    if action is SearchAction.DROP_CATEGORY:
        return replace(search, category=None)
    if action is SearchAction.DROP_REGION:
        return replace(search, region=None)
    if action is SearchAction.DROP_PRICE:
        return replace(search, price=None)
    if action is SearchAction.SWAP_PRICE:
        if search.offered is None:
            return None
        return replace(search, price=search.offered, offered=None, awaiting=Awaiting.WORDS)
    return search  # a page, or back from a chooser


async def _save(query: CallbackQuery, t: Translator, buyers: Buyers, search: BuyerSearch) -> None:
    saved = await buyers.save_search(query.from_user.id, search.query, search.filters)
    if saved is None:
        await query.answer(t("search-save-full", limit=MAX_SAVED_SEARCHES), show_alert=True)
        return
    await query.answer(t("search-saved"), show_alert=True)


def setup() -> Router:
    router = Router(name="search")
    router.message.filter(PrivateChat())
    router.message.register(search_command, Command("search"))
    router.message.register(ask_words, Label("menu-search"))
    router.callback_query.register(button, SearchCb.filter())
    # Last: typed text is taken as words or a price only when the bot asked for them.
    router.message.register(typed, AnswerAs(SEARCH_QUESTION, _typed_for_search))
    return router
