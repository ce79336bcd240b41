"""Inline mode: `@bot words` in any chat answers with matching ads (the photo with the channel
caption and a button to the post), 50 a page; an empty query shows the newest ads.

Each answer costs a fixed number of statements whatever the page size (the search, then the
page's ads in one), and each user a bounded number of searches a second (InlineBudget).

Anyone may ask, including people who never started the bot: the answer goes to Telegram, not
to them, so nothing here needs a conversation or a stored language beyond what the
middleware gives. The page is the offset in `next_offset`
(https://core.telegram.org/bots/api#answerinlinequery): at most 50 results a call, ids and
the offset at most 64 bytes. BotFather's /setinline switches inline mode on.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Router
from aiogram.types import (
    InlineQuery,
    InlineQueryResultArticle,
    InlineQueryResultCachedPhoto,
    InlineQueryResultUnion,
    InputTextMessageContent,
)

from vodiy_bozor.bot import keyboards
from vodiy_bozor.captions import Captions, Mark, summary
from vodiy_bozor.models import Ad, SearchHit
from vodiy_bozor.services.buyers import Buyers
from vodiy_bozor.text.fold import query_terms
from vodiy_bozor.texts import Translator

PAGE_SIZE = 50  # Telegram's most per answer
MAX_OFFSET = 1000  # deeper than anyone scrolls; keeps a forged offset from costing a scan
CACHE_SECONDS = 30  # a sold ad leaves the answers within half a minute
# Each user's inline searches: a burst of BURST (typing `@bot samsung` sends a query per
# pause in typing, not per key), then RATE a second. Past that a query is answered with
# nothing, without a search.
BURST = 10
RATE = 1.0


class InlineBudget(BaseMiddleware):
    """A per-user token bucket in front of the inline search: a client that sends inline
    queries in a loop costs one Bot API answer each, not a search each. In memory and per
    process: it bounds the cost a process bears, and the table is bounded too (the least
    recently seen users are forgotten first)."""

    def __init__(
        self,
        *,
        burst: int = BURST,
        rate: float = RATE,
        max_users: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._burst = burst
        self._rate = rate
        self._max_users = max_users
        self._clock = clock
        self._tokens: dict[int, tuple[float, float]] = {}  # user id -> (tokens, at)

    def take(self, user_id: int) -> bool:
        """Spend one search of the user's budget; False when it is spent."""
        now = self._clock()
        tokens, at = self._tokens.pop(user_id, (float(self._burst), now))
        tokens = min(float(self._burst), tokens + (now - at) * self._rate)
        allowed = tokens >= 1.0
        self._tokens[user_id] = (tokens - 1.0 if allowed else tokens, now)
        if len(self._tokens) > self._max_users:  # dicts keep insertion order: oldest first
            for stale in list(self._tokens)[: self._max_users // 10]:
                del self._tokens[stale]
        return allowed

    async def __call__(
        self,
        handler: Callable[[Any, dict[str, Any]], Awaitable[Any]],
        event: Any,
        data: dict[str, Any],
    ) -> Any:
        if isinstance(event, InlineQuery) and not self.take(event.from_user.id):
            # Personal and uncached, so the user's next query (after a pause) searches again.
            await event.answer([], cache_time=0, is_personal=True)
            return None
        return await handler(event, data)


def _offset(text: str) -> int:
    """The page's offset; anything else (`²` is a digit to str.isdigit but not to int(), a
    forged offset of any length) is the first page."""
    if len(text) > 4 or not text.isascii() or not text.isdecimal():
        return 0
    return int(text) if int(text) <= MAX_OFFSET else 0


def _result(
    t: Translator, captions: Captions, hit: SearchHit, ad: Ad
) -> InlineQueryResultCachedPhoto | InlineQueryResultArticle:
    # A paid lift stands first and is marked 🚀, as its channel post is.
    caption = captions.caption(ad.content, Mark.LIFT if hit.lifted else None, ad_id=hit.ad_id)
    link = None
    if hit.post_chat_id is not None and hit.post_message_id is not None:
        link = captions.link_to(hit.post_chat_id, hit.post_message_id)
    markup = keyboards.post_link(t, link)
    result_id = f"ad{hit.ad_id}"
    if hit.photo_file_id:
        return InlineQueryResultCachedPhoto(
            id=result_id,
            photo_file_id=hit.photo_file_id,
            caption=caption,
            parse_mode="HTML",
            reply_markup=markup,
        )
    return InlineQueryResultArticle(
        id=result_id,
        title=("🚀 " if hit.lifted else "") + summary(hit.description, 60),
        description=captions.price(t.lang, hit.price),
        input_message_content=InputTextMessageContent(message_text=caption, parse_mode="HTML"),
        reply_markup=markup,
    )


async def answer(query: InlineQuery, t: Translator, buyers: Buyers, captions: Captions) -> None:
    offset = _offset(query.offset)
    terms = query_terms(query.query[:200])  # `()`: the newest ads
    cards, more = await buyers.cards(terms, offset=offset, size=PAGE_SIZE)
    results: list[InlineQueryResultUnion] = [_result(t, captions, hit, ad) for hit, ad in cards]
    await query.answer(
        results,
        cache_time=CACHE_SECONDS,
        is_personal=False,
        next_offset=str(offset + PAGE_SIZE) if more and offset + PAGE_SIZE <= MAX_OFFSET else "",
    )


def setup() -> Router:
    router = Router(name="inline")
    router.inline_query.middleware(InlineBudget())
    router.inline_query.register(answer)
    return router
