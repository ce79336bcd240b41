"""The one renderer of an ad's caption: the preview, the admin card and every channel post.

The caption is HTML; everything the seller typed is escaped. Category and region become
hashtags so buyers can use Telegram's hashtag search. Telegram allows 1024 characters of
caption after entity parsing, counted in UTF-16 code units like every Bot API length.
"""

from __future__ import annotations

import enum
import html
import re
from dataclasses import dataclass

from vodiy_bozor.models import AdContent, ChannelPost, Currency, Lang, Price
from vodiy_bozor.telegram.limits import CAPTION_LENGTH
from vodiy_bozor.text.phone import format_phone
from vodiy_bozor.text.place import read_place
from vodiy_bozor.text.price import format_amount
from vodiy_bozor.texts import Markup, Texts, escape

CAPTION_LIMIT = CAPTION_LENGTH
DESCRIPTION_LIMIT = 800
DISTRICT_LIMIT = 40
# The channel speaks the original spec's language, whatever language the seller uses.
CHANNEL_LANG = Lang.UZ_CYRL

_TAG = re.compile(r"<[^>]+>")


class Mark(enum.Enum):
    """A line on top of a channel post that tells buyers where the ad stands."""

    REPOST = "caption-repost"
    LIFT = "caption-lift"  # a paid lift (🚀), https://core.telegram.org/bots/payments-stars
    SOLD = "caption-sold"
    REMOVED = "caption-removed"


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: characters outside the BMP (most emoji) count twice."""
    return len(text.encode("utf-16-le")) // 2


def visible_len(caption_html: str) -> int:
    """The length of an HTML caption after Telegram parses the entities."""
    return utf16_len(html.unescape(_TAG.sub("", caption_html)))


def format_price(texts: Texts, lang: Lang, price: Price) -> str:
    if price.amount is None:
        return texts.get(lang, "price-negotiable")
    if price.amount == 0:  # the reader's `бепул` / `бесплатно`: given away
        return texts.get(lang, "price-free")
    key = "price-usd" if price.currency is Currency.USD else "price-uzs"
    return texts.get(lang, key, amount=format_amount(price.amount))


def _same_place(district: str, region_label: str) -> bool:
    named = read_place(district).district
    return named is not None and named == read_place(region_label).district


def render_caption(
    texts: Texts,
    content: AdContent,
    *,
    bot_username: str | None,
    mark: Mark | None = None,
    lang: Lang = CHANNEL_LANG,
    ad_id: int | None = None,
) -> Markup:
    def t(key: str, **args: str | Markup) -> str:
        return texts.get(lang, key, **args)

    place = t(f"region-{content.region.value}")
    # A region's own city (`Андижон`, `Andijon`, `Андижан`) is said once, whichever script
    # the seller wrote it in.
    if content.district and not _same_place(content.district, place):
        place = f"{place}, {content.district}"
    tail = [
        "",
        t("caption-price", price=format_price(texts, lang, content.price)),
        t("caption-region", place=place),
        t("caption-phone", phone=format_phone(content.phone)),
        "",
        f"#{t(f'hashtag-{content.category.value}')} #{t(f'hashtag-region-{content.region.value}')}",
    ]
    if bot_username and ad_id is not None:
        # The buyer's one tap to the seller: a deep link into the bot for this ad
        # (https://core.telegram.org/bots/features#deep-linking).
        tail.append(t("caption-footer-ad", link=Markup(ad_link(bot_username, ad_id))))
    elif bot_username:
        tail.append(t("caption-footer", bot=bot_username))
    head = [t(mark.value), ""] if mark else []

    description = content.description
    caption = _join(head, description, tail)
    # The dialog keeps descriptions to 800 characters, which always fits; this guard only
    # matters for an ad edited by hand in the database. Never send a caption Telegram refuses.
    while visible_len(caption) > CAPTION_LIMIT and len(description) > 1:
        overflow = visible_len(caption) - CAPTION_LIMIT
        description = description[: max(0, len(description) - overflow - 1)].rstrip() + "…"
        caption = _join(head, description, tail)
    return caption


def _join(head: list[str], description: str, tail: list[str]) -> Markup:
    return Markup("\n".join([*head, escape(description), *tail]))


def ad_link(bot_username: str, ad_id: int) -> str:
    """The link that opens the bot on this ad (`/start ad_<id>`)."""
    return f"https://t.me/{bot_username}?start=ad_{ad_id}"


def summary(description: str, limit: int = 160) -> str:
    """The start of a description, for lists and questions (plain text: escape it to show)."""
    text = " ".join(description.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def post_link(channel_id: int | str, chat_id: int, message_id: int) -> str:
    """A link to a channel message: by username for a public channel, else the t.me/c/ form
    that works for the channel's members (https://core.telegram.org/api/links#message-links)."""
    if isinstance(channel_id, str):
        return f"https://t.me/{channel_id.removeprefix('@')}/{message_id}"
    return f"https://t.me/c/{str(chat_id).removeprefix('-100')}/{message_id}"


@dataclass(frozen=True, slots=True)
class Captions:
    """The renderer bound to what every caption and link shares: the texts, the bot's username
    (the caption's footer links to the bot) and the channel (post links)."""

    texts: Texts
    bot_username: str | None
    channel_id: int | str

    def caption(
        self, content: AdContent, mark: Mark | None = None, *, ad_id: int | None = None
    ) -> Markup:
        """With `ad_id` (channel posts), the footer links buyers into the bot for the ad."""
        return render_caption(
            self.texts, content, bot_username=self.bot_username, mark=mark, ad_id=ad_id
        )

    def price(self, lang: Lang, price: Price) -> str:
        return format_price(self.texts, lang, price)

    def link(self, post: ChannelPost) -> str:
        return post_link(self.channel_id, post.chat_id, post.message_id)

    def link_to(self, chat_id: int, message_id: int) -> str:
        return post_link(self.channel_id, chat_id, message_id)
