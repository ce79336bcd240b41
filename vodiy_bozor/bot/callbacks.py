"""Callback data of every inline button, versioned by prefix.

Telegram allows 1-64 bytes of `callback_data`. The prefixes carry a version number: when the
meaning of a button changes, bump it, and buttons left in old messages are answered as outdated
instead of being misread. Any user can send any callback data, so handlers re-check everything
(ownership, admin rights, the ad's state) on the server.

Every number is bounded here, so forged data is refused by `unpack` (a pydantic validation
error, which aiogram's callback filter treats as "not this button") before any handler or
query runs: ids fit PostgreSQL's bigint, pages stop where the search stops
(db/search.py: MAX_OFFSET), versions fit an int.
"""

from __future__ import annotations

import enum
from typing import Annotated, Final

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from vodiy_bozor.models import Category, Lang, Region
from vodiy_bozor.services.promotions import PromoKind

# Five results a page (search and My ads) up to the 1,000th result.
MAX_PAGE: Final = 200
# https://www.postgresql.org/docs/current/datatype-numeric.html: bigint
Id = Annotated[int, Field(ge=0, le=2**63 - 1)]
Page = Annotated[int, Field(ge=0, le=MAX_PAGE)]
Version = Annotated[int, Field(ge=0, le=2**31 - 1)]


class LangCb(CallbackData, prefix="lang1"):
    lang: Lang


class DraftAction(enum.StrEnum):
    CATEGORY = "cat"
    PHOTOS_DONE = "photos_done"
    NEGOTIABLE = "negotiable"
    REGION = "region"
    SKIP_DISTRICT = "skip_district"
    SUBMIT = "submit"
    EDIT = "edit"
    EDIT_FIELD = "edit_field"
    BACK_TO_PREVIEW = "back"
    CANCEL = "cancel"
    PRICE_SUGGESTED = "price_sug"  # the amount the assistant thinks was meant
    PRICE_AS_TYPED = "price_typed"  # the far-off amount, confirmed
    RENEW_OLD = "renew_old"  # renew the seller's own live ad this draft repeats
    # A reading of a bare small number (`12,5`: 12.5 million so'm?), by its place among the
    # readings the draft holds. An action per place rather than an index field: a new field
    # would change every DraftCb's packed form, and the buttons already in chats would stop
    # unpacking.
    PRICE_READING_1 = "price_r1"
    PRICE_READING_2 = "price_r2"


# The price readings' buttons, in the order of the readings in the draft.
PRICE_READINGS: Final = (DraftAction.PRICE_READING_1, DraftAction.PRICE_READING_2)


class DraftField(enum.StrEnum):
    CATEGORY = "category"
    PHOTOS = "photos"
    DESCRIPTION = "description"
    PRICE = "price"
    REGION = "region"
    PHONE = "phone"


class DraftCb(CallbackData, prefix="ad1"):
    action: DraftAction
    category: Category | None = None
    region: Region | None = None
    field: DraftField | None = None


class ModAction(enum.StrEnum):
    APPROVE = "ok"
    REJECT = "no"
    REASON = "why"
    BACK = "back"
    CATEGORY = "cat"  # the assistant's suggested category (in `reason`)
    BAN = "ban"  # show the ban reasons
    BAN_REASON = "banr"  # ban the seller with the reason in `reason`


TYPED_REASON = "typed"  # ModCb.reason when the admin will type the reason


class ModCb(CallbackData, prefix="mod1"):
    action: ModAction
    ad_id: Id
    reason: str = ""


class PublishAgainCb(CallbackData, prefix="pub1"):
    """An admin publishes an approved ad that has no channel post (/unposted)."""

    ad_id: Id


class SoldAction(enum.StrEnum):
    SOLD = "sold"
    SELLING = "selling"
    REMOVE = "remove"


class SoldCb(CallbackData, prefix="sold1"):
    action: SoldAction
    ad_id: Id


class MyAdsAction(enum.StrEnum):
    PAGE = "page"
    SOLD = "sold"
    REMOVE = "remove"  # asks for confirmation
    REMOVE_YES = "remove_yes"
    RENEW = "renew"


class MyAdsCb(CallbackData, prefix="my1"):
    action: MyAdsAction
    ad_id: Id = 0
    page: Version = 0  # clamped to the seller's last page by Listings.owner_page


class SearchAction(enum.StrEnum):
    PAGE = "p"
    CATEGORY = "c"  # show the categories to choose from
    SET_CATEGORY = "sc"
    DROP_CATEGORY = "dc"
    REGION = "r"
    SET_REGION = "sr"
    DROP_REGION = "dr"
    PRICE = "pr"  # ask for a typed range
    DROP_PRICE = "dp"
    SWAP_PRICE = "sw"  # take the exchanged ends of an upside-down range
    SAVE = "save"
    BACK = "b"  # from a chooser back to the results


class SearchCb(CallbackData, prefix="find1"):
    """A button under a buyer's results. The query and filters live in the buyer's search
    conversation (bot/handlers/search.py); `v` is that search's version, so a button left
    under an older search is answered as outdated instead of acting on the new one."""

    action: SearchAction
    v: Version
    page: Page = 0
    value: str = ""  # a category or region code


class SubsAction(enum.StrEnum):
    DELETE = "del"  # 🗑 in the list
    OFF = "off"  # 🔕 under a notice


class SubsCb(CallbackData, prefix="subs1"):
    action: SubsAction
    search_id: Id


class PromoCb(CallbackData, prefix="promo1"):
    """🚀 lift or 📌 pin one of the seller's ads: answered with an invoice in Stars."""

    kind: PromoKind
    ad_id: Id
