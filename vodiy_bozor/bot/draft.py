"""The seller's draft: a typed object over the conversation row's JSON.

The draft lives in the FSM data (`fsm_states.data` in PostgreSQL) so it survives restarts and
is shared by several bot processes. On disk it keeps the short keys it always had ("photos"
items are `{"id", "uid", "m"}`), so drafts saved by an earlier version still load; in the code
it is only ever a `Draft`. Values that no longer parse (an old enum value, a damaged row) load
as missing, and the dialog asks that step again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, TypeVar

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State

from vodiy_bozor.assistant.reader import AdReading
from vodiy_bozor.captions import DESCRIPTION_LIMIT, DISTRICT_LIMIT, utf16_len
from vodiy_bozor.models import AdContent, Category, Currency, Lang, Photo, Price, Region
from vodiy_bozor.services.listings import DraftClaim
from vodiy_bozor.telegram.fsm_storage import PostgresStorage
from vodiy_bozor.telegram.limits import ALBUM_SIZE
from vodiy_bozor.text.phone import PhoneError, parse_phone
from vodiy_bozor.text.place import PLACES

MAX_PHOTOS = ALBUM_SIZE  # the ad goes out as one album

_E = TypeVar("_E", Category, Region)


@dataclass(frozen=True, slots=True)
class DraftPhoto:
    file_id: str
    unique_id: str  # Telegram's file_unique_id: the same picture sent twice is kept once
    message_id: int  # the order the seller sent them in (album updates arrive in any order)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.file_id, "uid": self.unique_id, "m": self.message_id}

    @classmethod
    def from_json(cls, value: Any) -> DraftPhoto | None:
        try:
            return cls(str(value["id"]), str(value["uid"]), int(value["m"]))
        except (KeyError, TypeError, ValueError):
            return None


@dataclass(frozen=True, slots=True)
class Draft:
    category: Category | None = None
    photos: tuple[DraftPhoto, ...] = ()
    description: str | None = None
    price: Price | None = None
    region: Region | None = None
    district: str | None = None
    phone: str | None = None
    # Editing one field from the preview: its step returns to the preview when answered.
    editing: bool = False
    # Editing the photos: the first new photo replaces the old ones.
    replace_photos: bool = False
    # The "N photos received" message, edited for the rest of the same album.
    counter_group: str | None = field(default=None, metadata={"key": "status_group"})
    counter_message: int | None = field(default=None, metadata={"key": "status_id"})
    # The album whose extra photos were already refused (said once per album).
    refused_group: str | None = field(default=None, metadata={"key": "limit_group"})
    # A price far from the category's usual ones, waiting for the seller to confirm it (or
    # take the amount they probably meant).
    price_offer: Price | None = None
    price_suggestion: Price | None = None
    # What a bare small number typed at the price step may have meant (`12,5`: 12.5 million
    # so'm, or 12,500 USD for a car), offered as buttons; a button picks one by its place.
    price_readings: tuple[Price, ...] = ()
    # The seller's own live ad that this draft repeats (offered to renew instead).
    repeat_of: int | None = None
    # The quick post (an ad sent whole, as photos with a caption or as one text): the album
    # being taken as one ad, whose last photo moves the dialog on instead of counting photos.
    quick: str | None = None
    # A price read from the seller's text: checked against the category (the price step's
    # rules) when the dialog reaches the price step, so it is never taken unchecked.
    read_price: Price | None = None
    # A description read from the seller's text that is over the limit: its length, said
    # with the description question (the text itself was not kept).
    long_description: int | None = None

    # -- JSON ----------------------------------------------------------------------------------

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name, key in _FIELDS:
            value = _encode(name, getattr(self, name))
            if value is not None:
                data[key] = value
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Draft:
        photos = [DraftPhoto.from_json(p) for p in data.get("photos") or ()]
        return cls(
            category=_enum(Category, data.get("category")),
            photos=tuple(sorted((p for p in photos if p), key=lambda p: p.message_id)),
            description=_str(data.get("description")),
            price=_price(data.get("price")),
            region=_enum(Region, data.get("region")),
            district=_str(data.get("district")),
            phone=_str(data.get("phone")),
            editing=bool(data.get("editing")),
            replace_photos=bool(data.get("replace_photos")),
            counter_group=_str(data.get("status_group")),
            counter_message=_int(data.get("status_id")),
            refused_group=_str(data.get("limit_group")),
            price_offer=_price(data.get("price_offer")),
            price_suggestion=_price(data.get("price_suggestion")),
            price_readings=_prices(data.get("price_readings")),
            repeat_of=_int(data.get("repeat_of")),
            quick=_str(data.get("quick")),
            read_price=_price(data.get("read_price")),
            long_description=_int(data.get("long_description")),
        )

    def changes_since(self, before: Draft) -> dict[str, Any]:
        """The JSON keys whose values differ from `before`: the patch one write merges into
        the stored data (a value gone is written as null, which reads back as absent). Only
        the fields that changed are encoded (a step changes one or two of them)."""
        patch: dict[str, Any] = {}
        for name, key in _FIELDS:
            value, old = getattr(self, name), getattr(before, name)
            if value is old or value == old:
                continue
            new_json, old_json = _encode(name, value), _encode(name, old)
            if new_json != old_json:
                patch[key] = new_json  # None when gone
        return patch

    # -- the ad --------------------------------------------------------------------------------

    def content(self) -> AdContent | None:
        """The ad the draft describes, None while a step has no answer."""
        if (
            self.category is None
            or not self.photos
            or not self.description
            or self.price is None
            or self.region is None
            or not self.phone
        ):
            return None
        return AdContent(
            category=self.category,
            description=self.description,
            price=self.price,
            region=self.region,
            district=self.district,
            phone=self.phone,
            photos=tuple(Photo(p.file_id, p.unique_id) for p in self.photos),
        )

    def filled_from(self, reading: AdReading, lang: Lang) -> Draft:
        """The draft with what the seller's whole message said, in the fields that have no
        answer yet (an answer given in the dialog is never overwritten). What the reader
        found is checked as the dialog's steps check typed answers: a phone that does not
        parse is left to ask, a description over the limit is left to ask with its length, a
        price waits in `read_price` for the price step's check. A district read is named in
        the seller's interface script (`lang`), as a district they typed would be."""
        draft = self
        if draft.category is None and reading.category is not None:
            draft = replace(draft, category=reading.category)
        description = reading.description.strip()
        if not draft.description and description:
            length = utf16_len(description)
            if length > DESCRIPTION_LIMIT:
                draft = replace(draft, long_description=length)
            else:
                draft = replace(draft, description=description, long_description=None)
        if draft.price is None and reading.price is not None:
            draft = replace(draft, read_price=reading.price)
        if draft.region is None and reading.region is not None:
            district = " ".join((reading.district or "").split()) or None
            if district is not None:
                district = district_name(district, lang)
            if district is not None and utf16_len(district) > DISTRICT_LIMIT:
                district = None
            draft = replace(draft, region=reading.region, district=district)
        if not draft.phone and reading.phone:
            with contextlib.suppress(PhoneError):  # not a phone the dialog takes: asked
                draft = replace(draft, phone=parse_phone(reading.phone))
        return draft

    def without_photo_counter(self) -> Draft:
        return replace(self, counter_group=None, counter_message=None)


# Each field's name and its key in the stored JSON, once (dataclasses.fields builds them on
# every call).
_FIELDS: tuple[tuple[str, str], ...] = tuple(
    (f.name, f.metadata.get("key", f.name)) for f in fields(Draft)
)


def _encode(name: str, value: Any) -> Any:
    """A field's value as stored; None for what is not stored (absent reads as None / False)."""
    if value is None or value is False:
        return None
    if name == "photos":
        return [p.to_json() for p in value]
    if name == "price_readings":
        return [_price_json(p) for p in value] or None
    if isinstance(value, Price):
        return _price_json(value)
    if isinstance(value, Category | Region):
        return value.value
    return value


# Letters only Uzbek Cyrillic has: a Cyrillic spelling without them, listed after the Uzbek
# one, is the Russian name (`Қўқон` → `Коканд`, `Тошкент` → `Ташкент`).
_UZBEK_ONLY = frozenset("ўқғҳ")
_RU_NAMES = {"Sankt-Peterburg": "Санкт-Петербург"}  # listed by its short and slang names


def _is_cyrillic(name: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in name)


def _names_by_lang() -> dict[str, dict[Lang, str]]:
    """Each place's name in each interface script, from the reader's place table: its first
    Latin spelling (the 1995 alphabet, with the modifier letter ʻ the Latin texts use), its
    first Cyrillic one (Uzbek), and its first Cyrillic one without Uzbek letters after that
    (Russian; the Uzbek one when they are the same)."""
    table: dict[str, dict[Lang, str]] = {}
    for place in PLACES:
        if place.district in table:
            continue
        cyrillic = [n for n in place.names if _is_cyrillic(n)]
        latin = next((n for n in place.names if not _is_cyrillic(n)), place.district)
        uz = cyrillic[0] if cyrillic else latin
        ru = next((n for n in cyrillic[1:] if not _UZBEK_ONLY & set(n.lower())), uz)
        table[place.district] = {
            Lang.UZ_LATN: latin.replace("'", "\u02bb"),
            Lang.UZ_CYRL: uz,
            Lang.RU: _RU_NAMES.get(place.district, ru),
        }
    return table


_DISTRICT_NAMES = _names_by_lang()


def district_name(district: str, lang: Lang) -> str:
    """The reader's Latin name of a place (`Asaka`) as the seller's interface writes it;
    a place the table does not know is kept as read."""
    return _DISTRICT_NAMES.get(district, {}).get(lang, district)


def _enum(kind: type[_E], value: Any) -> _E | None:
    try:
        return kind(value) if value is not None else None
    except ValueError:
        return None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _price_json(price: Price) -> dict[str, Any]:
    return {"amount": price.amount, "currency": price.currency.value}


def _prices(value: Any) -> tuple[Price, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(price for price in map(_price, value) if price is not None)


def _price(value: Any) -> Price | None:
    if not isinstance(value, Mapping):
        return None
    amount = value.get("amount")
    try:
        currency = Currency(str(value.get("currency")))
    except ValueError:
        return None
    if amount is not None and not isinstance(amount, int):
        return None
    return Price(amount, currency)


class DraftStore:
    """Reads and writes the draft of the conversation being handled, one statement per step.

    It works on aiogram's FSM key (`state.key`) through our PostgreSQL storage, whose reads
    are remembered for the length of one update (see `fsm_storage.update_scope`).
    """

    def __init__(self, storage: PostgresStorage) -> None:
        self._storage = storage

    async def load(self, state: FSMContext) -> Draft:
        return Draft.from_data(await state.get_data())

    async def move(
        self, state: FSMContext, step: State, draft: Draft, *, since: Draft | None = None
    ) -> None:
        """Go to `step`, saving what changed in the draft since `since` (the whole draft, in
        place of any old one, when `since` is None): one write."""
        if since is None:
            await self._storage.move(state.key, step, draft.to_data(), replace=True)
        else:
            await self._storage.move(state.key, step, draft.changes_since(since))

    async def save(self, state: FSMContext, draft: Draft, *, since: Draft) -> None:
        """Save what changed without moving (nothing is written when nothing changed)."""
        patch = draft.changes_since(since)
        if patch:
            await self._storage.update_data(state.key, patch)

    async def add_photo(self, state: FSMContext, photo: DraftPhoto) -> int | None:
        """Append a photo atomically (the photos of an album arrive as separate updates, maybe
        at once, maybe in several processes); the number of photos now, or None when the draft
        has MAX_PHOTOS already. The same picture twice is kept once. While the seller is
        replacing the photos, the first new one replaces the old ones, in the same statement,
        so a concurrent photo of the same album can never be wiped by it."""
        return await self._storage.append_unique(
            state.key,
            "photos",
            photo.to_json(),
            unique_by="uid",
            limit=MAX_PHOTOS,
            restart_flag="replace_photos",
        )

    async def drop(self, state: FSMContext) -> None:
        await self._storage.clear(state.key)

    def claim(self, state: FSMContext, step: State) -> DraftClaim:
        """What `Listings.submit` needs to take the draft in the transaction that stores the ad."""
        return DraftClaim(self._storage.key_of(state.key), step.state or "")

    def taken(self, state: FSMContext) -> None:
        """`Listings.submit` took (deleted) the draft."""
        self._storage.forget(state.key)
