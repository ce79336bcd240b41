"""The ad dialog: category → photos → description → price → region (and district) → phone →
preview → submit.

Every step is declared once, in `STEPS` (run by the step engine, `bot/dialog.py`): its question
and keyboard, what it accepts and how that is read, its wrong-input answer, and where the
dialog goes next. This module holds the table, its readers and the dialog's own handlers
(entering, leaving, the preview's buttons); the engine's generic handlers find the seller's step
and hand the update to its reader. Adding a step, or swapping two, is one edit of that table
(and a text for its question).

Each step is one message with a short question and its buttons, Cancel always last. The draft
lives in PostgreSQL (`bot/draft.py`), so a seller who comes back after a restart continues
where they were; it is dropped only on cancel or submit. Wrong input never moves the dialog.

An ad sent whole (the quick post: photos with a caption, a text; `quick_post.py` outside the
dialog, the first and photo steps' readers inside it) fills the draft from its reading; each
step then goes on to the first step still unanswered, so only what the text did not say is
asked. A price and a too-long description read from the text wait in the draft for their
step's own rules (`Step.read_answer`).
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any, TypeAlias, TypeVar

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    Message,
    MessageOriginUser,
)

from vodiy_bozor.assistant.reader import AdReading, read_ad
from vodiy_bozor.bot import keyboards
from vodiy_bozor.bot.callbacks import PRICE_READINGS, DraftAction, DraftCb, DraftField
from vodiy_bozor.bot.dialog import (
    ANSWER_LIMIT,
    Accept,
    ButtonReader,
    Confirm,
    Dialog,
    Kept,
    Keyboard,
    MessageReader,
    Outcome,
    ReadAnswer,
    Refuse,
    Step,
    Turn,
    TurnMiddleware,
    answer_button,
    answer_message,
    ask,
    plain_text,
)
from vodiy_bozor.bot.draft import MAX_PHOTOS, Draft, DraftPhoto, DraftStore
from vodiy_bozor.bot.filters import Label, PrivateChat
from vodiy_bozor.captions import DESCRIPTION_LIMIT, DISTRICT_LIMIT, Captions, utf16_len
from vodiy_bozor.models import Category, Lang, Price, Region
from vodiy_bozor.services.listings import (
    DraftGone,
    LimitKind,
    Listings,
    OwnerAction,
    RejectReason,
    SubmitRefused,
)
from vodiy_bozor.text.phone import PhoneError, format_phone, parse_phone
from vodiy_bozor.text.price import PriceError, PriceProblem, bare_readings, parse_price
from vodiy_bozor.text.script import normalize_answer
from vodiy_bozor.texts import Texts, Translator

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AdNeeds:
    """What the ad dialog's readers use besides the draft: the caption renderer (the
    preview, prices), the listings (the price check, an own repeated ad) and the draft store
    itself for what only the ad's draft does (adding a photo atomically)."""

    captions: Captions
    listings: Listings
    drafts: DraftStore

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> AdNeeds:
        return cls(data["captions"], data["listings"], data["drafts"])


AdTurn: TypeAlias = Turn[Draft, AdNeeds]
AdStep: TypeAlias = Step[Draft, AdNeeds, DraftCb]
AdOutcome: TypeAlias = Outcome[Draft]


def _drafts(data: Mapping[str, Any]) -> DraftStore:
    drafts: DraftStore = data["drafts"]
    return drafts


class NewAd(StatesGroup):
    category = State()
    photos = State()
    description = State()
    price = State()
    region = State()
    district = State()
    phone = State()
    preview = State()


# -- readers -------------------------------------------------------------------------------------

_Value = TypeVar("_Value", Category, Region)
_NOT_LETTERS = re.compile(r"[^\w\s'ʻʼ‘’`-]+")


@cache
def _labels(texts: Texts, prefix: str, values: tuple[_Value, ...]) -> dict[str, _Value]:
    """Typed answers for button steps: each label in every language (and either Uzbek script),
    without its emoji, normalised for comparison."""
    return {
        normalize_answer(_NOT_LETTERS.sub("", texts.get(lang, f"{prefix}-{v.value}")).strip()): v
        for v in values
        for lang in Lang
    }


@cache
def _done_words(texts: Texts) -> frozenset[str]:
    return frozenset(
        normalize_answer(_NOT_LETTERS.sub("", v)) for v in texts.variants("ad-photos-done-button")
    )


def _typed(
    prefix: str, values: tuple[_Value, ...], choose: Callable[[AdTurn, _Value], AdOutcome]
) -> MessageReader[Draft, AdNeeds]:
    """A reader of a button step's label typed instead of pressed, in any language."""

    def parse(text: str, turn: AdTurn) -> AdOutcome:
        value = _labels(turn.t.texts, prefix, values).get(normalize_answer(text))
        return None if value is None else choose(turn, value)

    return plain_text(parse)


def _category(turn: AdTurn, category: Category) -> AdOutcome:
    t = turn.t
    return Accept(
        replace(turn.draft, category=category),
        note=f"{t('ad-field-category')}: {t(f'category-{category.value}')} ✅",
    )


_WORD = re.compile(r"[^\W\d_]{2,}")


def reads_as_an_ad(reading: AdReading) -> bool:
    """A text holds a whole ad (and is not a stray message such as "салом" or a question):
    the reader found a price or a phone in it, and at least three words besides them."""
    found = reading.price is not None or reading.phone is not None
    return found and len(_WORD.findall(reading.description)) >= 3


def someone_elses(message: Message) -> bool:
    """Forwarded from another person's message: not the seller's own ad, so its text is not
    taken as the seller's. (A forward from a channel, a group's anonymous admin or a hidden
    account may be the seller's own; the admins see every ad before it is posted.)
    https://core.telegram.org/bots/api#messageorigin"""
    origin = message.forward_origin
    return (
        isinstance(origin, MessageOriginUser)
        and message.from_user is not None
        and origin.sender_user.id != message.from_user.id
    )


_category_typed = _typed("category", tuple(Category), _category)


async def _category_or_whole_ad(message: Message, turn: AdTurn) -> AdOutcome:
    """The first step takes, besides a category, the ad sent whole: photos (with or without
    a caption) and a text that reads as an ad (its fields fill the draft; the dialog then
    asks what it did not say)."""
    if (message.photo or _album_item(message, turn)) and not turn.draft.editing:
        return await _whole_ad_photo(message, turn)
    typed = await _category_typed(message, turn)
    if typed is not None or turn.draft.editing or not message.text:
        return typed
    if message.text.startswith("/") or someone_elses(message):
        return None
    reading = read_ad(message.text)
    return Accept(turn.draft.filled_from(reading, turn.t.lang)) if reads_as_an_ad(reading) else None


async def _category_button(cb: DraftCb, turn: AdTurn) -> AdOutcome:
    if cb.action is not DraftAction.CATEGORY:
        return None
    return _category(turn, cb.category) if cb.category is not None else Kept()


async def _photo_or_done(message: Message, turn: AdTurn) -> AdOutcome:
    if message.photo:
        draft = turn.draft
        whole = draft.quick is not None and draft.quick == message.media_group_id
        captioned = bool(message.caption) and not someone_elses(message)
        if (whole or captioned) and not draft.editing:
            return await _whole_ad_photo(message, turn)
        await _add_photo(message, turn)
        return Kept()
    if message.text and normalize_answer(message.text) in _done_words(turn.t.texts):
        return _photos_done(turn)
    return None


async def _photos_done_button(cb: DraftCb, turn: AdTurn) -> AdOutcome:
    return _photos_done(turn) if cb.action is DraftAction.PHOTOS_DONE else None


def _photos_done(turn: AdTurn) -> AdOutcome:
    if not turn.draft.photos:
        return Refuse(turn.t("ad-photos-need-one"))
    return Accept(replace(turn.draft.without_photo_counter(), replace_photos=False))


# The counter message of photos sent one by one (not in an album) is marked with this group.
_SINGLES = "-"
_background: set[asyncio.Task[Any]] = set()


async def _add_photo(message: Message, turn: AdTurn) -> None:
    """Keep the largest size of the photo and answer with the count: once per album, at its
    last photo (the intake hands the album over whole); for photos sent one by one, by
    editing one counter message, in the background, so the seller's next photo need not wait
    for the chat's pace (telegram/pacing.py skips an edit that a newer one supersedes)."""
    assert message.photo is not None
    t, album = turn.t, turn.album
    group = message.media_group_id if album is not None else None
    largest = message.photo[-1]
    # Editing the photos, the first new one replaces the old ones (in the same statement).
    count = await turn.needs.drafts.add_photo(
        turn.state, DraftPhoto(largest.file_id, largest.file_unique_id, message.message_id)
    )
    draft = await turn.drafts.load(turn.state)
    if count is None and (group is None or draft.refused_group != group):
        # Over the limit: said once per album (at its end), not once per extra photo.
        draft = await _saved(turn, draft, replace(draft, refused_group=group))
        if group is None:
            await message.answer(t("ad-photos-limit", limit=MAX_PHOTOS))
            return
    if album is not None and not album.last:
        return  # the album's last photo answers for all of them
    if group is not None and draft.refused_group == group:
        await message.answer(
            t("ad-photos-limit", limit=MAX_PHOTOS), reply_markup=keyboards.photos_done(t)
        )
        return
    if count is None:
        return
    text = t("ad-photos-received", count=len(draft.photos))
    if group is None and draft.counter_group == _SINGLES and draft.counter_message:
        edit = turn.bot.edit_message_text(
            text,
            chat_id=turn.chat_id,
            message_id=draft.counter_message,
            reply_markup=keyboards.photos_done(t),
        )
        task = asyncio.create_task(edit)
        _background.add(task)  # held until done (the loop keeps only weak references)
        task.add_done_callback(_counter_edited)
        return
    sent = await message.answer(text, reply_markup=keyboards.photos_done(t))
    counted = replace(draft, counter_group=group or _SINGLES, counter_message=sent.message_id)
    await _saved(turn, draft, counted)


def _album_item(message: Message, turn: AdTurn) -> bool:
    """A video (or another item) of an album: Telegram lets an album mix photos and videos
    (https://core.telegram.org/bots/api#sendmediagroup), and the album is taken as one ad
    whichever item comes last or carries the caption; only its photos are kept."""
    return turn.album is not None and message.media_group_id is not None


async def _whole_ad_photo(message: Message, turn: AdTurn) -> AdOutcome:
    """A photo of an ad sent whole (the quick post): photos with a caption, or photos at the
    dialog's first step. The caption is read for the fields not answered yet; the photo is
    kept (up to MAX_PHOTOS); the album's last photo moves the dialog on to the first
    question the message did not answer, or to the preview (the intake hands the album
    over whole, so this happens once per album). Only while not editing from the preview,
    so every step before the photos' is answered or is the one asked next."""
    t, before = turn.t, turn.draft
    group = message.media_group_id or _SINGLES
    more = turn.album is not None and not turn.album.last
    draft = replace(before, quick=group) if more else before
    if message.caption and not message.caption.startswith("/") and not someone_elses(message):
        draft = draft.filled_from(read_ad(message.caption), t.lang)
    await turn.drafts.save(turn.state, draft, since=before)
    if message.photo:
        largest = message.photo[-1]
        count = await turn.needs.drafts.add_photo(
            turn.state, DraftPhoto(largest.file_id, largest.file_unique_id, message.message_id)
        )
        if count is None and draft.refused_group != group:
            await _saved(turn, draft, replace(draft, refused_group=group))
    if more:
        return Kept()
    stored = await turn.drafts.load(turn.state)
    notes = [t("ad-quick-photos", count=len(stored.photos))] if stored.photos else []
    if stored.refused_group == group:
        notes.append(t("ad-photos-limit", limit=MAX_PHOTOS))
    done = replace(
        stored.without_photo_counter(), quick=None, refused_group=None, replace_photos=False
    )
    # The first question the message did not answer, or the preview: asked here, with the
    # draft as stored now as what the next write changes (this update wrote it already).
    await ask(replace(turn, draft=stored), PREVIEW, done, note="\n".join(notes))
    return Kept()


def _counter_edited(task: asyncio.Task[Any]) -> None:
    _background.discard(task)
    if not task.cancelled() and task.exception() is not None:
        # A counter that could not be updated: the next photo, "done" and the preview still
        # show the true count.
        log.warning("could not update a photo counter: %s", task.exception())


async def _saved(turn: AdTurn, before: Draft, after: Draft) -> Draft:
    await turn.drafts.save(turn.state, after, since=before)
    return after


def _description(text: str, turn: AdTurn) -> AdOutcome:
    text = text.strip()
    if not text:
        return Refuse(turn.t("ad-description-empty"))
    length = utf16_len(text)
    if length > DESCRIPTION_LIMIT:
        return Refuse(turn.t("ad-description-too-long", length=length, limit=DESCRIPTION_LIMIT))
    return Accept(replace(turn.draft, description=text))


_PRICE_PROBLEM = {
    PriceProblem.EMPTY: "ad-price-not-a-number",
    PriceProblem.NOT_A_NUMBER: "ad-price-not-a-number",
    PriceProblem.NEGATIVE: "ad-price-negative",
    PriceProblem.TOO_LARGE: "ad-price-too-large",
    PriceProblem.TOO_SMALL: "ad-price-too-small",
}


def _price(turn: AdTurn, price: Price) -> AdOutcome:
    shown = turn.t("ad-price-saved", price=turn.needs.captions.price(turn.t.lang, price)) + " ✅"
    chosen = replace(
        turn.draft, price=price, price_offer=None, price_suggestion=None, price_readings=()
    )
    return Accept(chosen, note=shown)


async def _price_typed(message: Message, turn: AdTurn) -> AdOutcome:
    if message.text is None or message.text.startswith("/"):
        return None
    try:
        price = parse_price(message.text)
    except PriceError as error:
        offer = _readings(message.text, turn) if error.reason is PriceProblem.TOO_SMALL else None
        return offer or Refuse(turn.t(_PRICE_PROBLEM[error.reason]))
    return await _price_chosen(turn, price)


# Where a bare decimal is also thousands of dollars (`12,5`: a car at 12,500 USD), as the ad
# reader takes `narxi 8.5` of a car or a home.
_PRICED_IN_THOUSANDS_OF_DOLLARS = frozenset({Category.VEHICLES, Category.REALTY})


def _readings(text: str, turn: AdTurn) -> AdOutcome:
    """A bare number too small for a price (`12,5`, `350`): what it probably meant, as buttons.
    The readings wait in the draft and a button names one by its place, so a forged press can
    pick only an amount offered here; typing a whole price instead still works."""
    thousands = turn.draft.category in _PRICED_IN_THOUSANDS_OF_DOLLARS
    readings = bare_readings(text, thousands_of_dollars=thousands)[: len(PRICE_READINGS)]
    if not readings:
        return None
    t, lang = turn.t, turn.t.lang
    markup = keyboards.draft_choices(
        t,
        [
            (t("ad-price-use-button", price=turn.needs.captions.price(lang, reading)), action)
            for reading, action in zip(readings, PRICE_READINGS, strict=False)
        ],
    )
    offered = replace(turn.draft, price_readings=readings)
    return Confirm(offered, t("ad-price-which", typed=html.escape(text.strip())), markup)


async def _price_chosen(turn: AdTurn, price: Price) -> AdOutcome:
    if turn.draft.category is None:
        return _price(turn, price)
    # The assistant: more than ten times off the category's usual prices is often a missing
    # "минг"/"млн" or $ for so'm. The seller decides; the admins see a 💰 line if it stays.
    check = await turn.needs.listings.price_check(turn.draft.category, price)
    if check is None:
        return _price(turn, price)
    t, lang = turn.t, turn.t.lang
    typed = turn.needs.captions.price(lang, price)
    if check.suggestion is not None:
        hint = t(
            "ad-price-check-suggestion",
            suggestion=turn.needs.captions.price(lang, check.suggestion),
        )
    else:
        hint = t("ad-price-check-none")
    choices = []
    if check.suggestion is not None:
        label = t("ad-price-use-button", price=turn.needs.captions.price(lang, check.suggestion))
        choices.append((label, DraftAction.PRICE_SUGGESTED))
    choices.append((t("ad-price-keep-button", price=typed), DraftAction.PRICE_AS_TYPED))
    markup = keyboards.draft_choices(t, choices)
    offered = replace(turn.draft, price_offer=price, price_suggestion=check.suggestion)
    return Confirm(offered, t("ad-price-check", price=typed, hint=hint), markup)


async def _read_price(turn: AdTurn, _step: AdStep) -> AdOutcome:
    """A price read from the seller's text gets the same check as a typed one."""
    price = turn.draft.read_price
    if price is None:
        return None
    taken = replace(turn, draft=replace(turn.draft, read_price=None))
    return await _price_chosen(taken, price)


async def _long_description(turn: AdTurn, step: AdStep) -> AdOutcome:
    """A description read from the seller's text but over the limit: the question comes
    with the usual "too long" answer (the other fields read stay)."""
    length = turn.draft.long_description
    if length is None:
        return None
    draft = replace(turn.draft, long_description=None)
    t = turn.t
    text, markup = turn.dialog.question(step, t, draft)
    too_long = t("ad-description-too-long", length=length, limit=DESCRIPTION_LIMIT)
    return Confirm(draft, f"{too_long}\n\n{text}", markup)


async def _price_button(cb: DraftCb, turn: AdTurn) -> AdOutcome:
    draft = turn.draft
    if cb.action in PRICE_READINGS:
        place = PRICE_READINGS.index(cb.action)
        if place >= len(draft.price_readings):
            return None  # not offered (an old message, or forged): answered as outdated
        # The reading gets the typed price's check: far off the category's prices, it asks.
        return await _price_chosen(turn, draft.price_readings[place])
    if cb.action is DraftAction.NEGOTIABLE:
        return _price(turn, Price.negotiable_price())
    if cb.action is DraftAction.PRICE_SUGGESTED and draft.price_suggestion is not None:
        return _price(turn, draft.price_suggestion)
    if cb.action is DraftAction.PRICE_AS_TYPED and draft.price_offer is not None:
        return _price(turn, draft.price_offer)
    return None


def _region(turn: AdTurn, region: Region) -> AdOutcome:
    t = turn.t
    return Accept(
        replace(turn.draft, region=region, district=None),
        note=f"{t('ad-field-region')}: {t(f'region-{region.value}')} ✅",
    )


async def _region_button(cb: DraftCb, turn: AdTurn) -> AdOutcome:
    if cb.action is not DraftAction.REGION:
        return None
    return _region(turn, cb.region) if cb.region is not None else Kept()


def _district(text: str, turn: AdTurn) -> AdOutcome:
    district = " ".join(text.split())
    if utf16_len(district) > DISTRICT_LIMIT:
        return Refuse(turn.t("ad-district-too-long", limit=DISTRICT_LIMIT))
    return Accept(replace(turn.draft, district=district or None))


async def _skip_district(cb: DraftCb, turn: AdTurn) -> AdOutcome:
    if cb.action is not DraftAction.SKIP_DISTRICT:
        return None
    return Accept(replace(turn.draft, district=None))


def _phone(raw: str, turn: AdTurn) -> AdOutcome:
    try:
        phone = parse_phone(raw)
    except PhoneError:
        return Refuse(turn.t("ad-phone-invalid"))
    t = turn.t
    # The confirmation also brings the main menu back in place of the share button.
    return Accept(
        replace(turn.draft, phone=phone),
        note=t("ad-phone-saved", phone=format_phone(phone)) + " ✅",
        note_keyboard=keyboards.main_menu(t),
    )


async def _phone_message(message: Message, turn: AdTurn) -> AdOutcome:
    if message.contact is not None:
        # The share button sends the seller's own contact; a forwarded contact is someone else.
        if message.contact.user_id != turn.user_id:
            return Refuse(turn.t("ad-phone-not-own"))
        return _phone(message.contact.phone_number, turn)
    if message.text is None or message.text.startswith("/"):
        return None
    return _phone(message.text, turn)


def _fixed(build: Callable[[Translator], Any]) -> Keyboard[Draft]:
    """A keyboard that depends on the language only."""
    return lambda t, _draft: build(t)


# -- the dialog, declared once -------------------------------------------------------------------


def _answered(field: DraftField) -> Callable[[Draft], bool]:
    """A field is answered once it holds a value (a text not empty, at least one photo)."""

    def answered(draft: Draft) -> bool:
        value = getattr(draft, field.value)
        return value is not None and value != "" and value != ()

    return answered


def _asks_for(
    field: DraftField,
    number: int,
    keyboard: Keyboard[Draft],
    wrong_input: str,
    *,
    read_message: MessageReader[Draft, AdNeeds] | None = None,
    read_button: ButtonReader[DraftCb, Draft, AdNeeds] | None = None,
    read_answer: ReadAnswer[Draft, AdNeeds, DraftCb] | None = None,
    question_args: Mapping[str, Any] | None = None,
    ends_edit: bool = True,
    max_length: int | None = ANSWER_LIMIT,
) -> AdStep:
    """A numbered step asking for one field of the draft: its state and question
    (`ad-ask-<field>`) are named after the field, "Edit" offers it, and it is answered once
    the field holds a value."""
    return Step(
        getattr(NewAd, field.value),
        f"ad-ask-{field.value}",
        keyboard,
        wrong_input,
        number=number,
        edits=field,
        answered=_answered(field),
        read_message=read_message,
        read_button=read_button,
        ends_edit=ends_edit,
        question_args=question_args or {},
        read_answer=read_answer,
        max_length=max_length,
    )


STEPS: Sequence[AdStep] = (
    _asks_for(
        DraftField.CATEGORY,
        1,
        _fixed(keyboards.categories),
        "ad-wrong-input-buttons",
        read_message=_category_or_whole_ad,
        read_button=_category_button,
    ),
    _asks_for(
        DraftField.PHOTOS,
        2,
        lambda t, d: keyboards.photos_done(t) if d.photos else keyboards.cancel_only(t),
        "ad-wrong-input-photos",
        read_message=_photo_or_done,
        read_button=_photos_done_button,
    ),
    _asks_for(
        DraftField.DESCRIPTION,
        3,
        _fixed(keyboards.cancel_only),
        "ad-wrong-input-text",
        read_message=plain_text(_description),
        question_args={"limit": DESCRIPTION_LIMIT},
        read_answer=_long_description,
        max_length=None,
    ),
    _asks_for(
        DraftField.PRICE,
        4,
        _fixed(keyboards.price),
        "ad-wrong-input-text",
        read_message=_price_typed,
        read_button=_price_button,
        read_answer=_read_price,
    ),
    _asks_for(
        DraftField.REGION,
        5,
        _fixed(keyboards.regions),
        "ad-wrong-input-buttons",
        read_message=_typed("region", tuple(Region), _region),
        read_button=_region_button,
        ends_edit=False,  # the district comes with the region
    ),
    Step(
        NewAd.district,
        "ad-ask-district",
        _fixed(keyboards.district),
        "ad-wrong-input-text",
        read_message=plain_text(_district),
        read_button=_skip_district,
        max_length=None,
    ),
    _asks_for(
        DraftField.PHONE,
        6,
        _fixed(keyboards.share_phone),
        "ad-wrong-input-phone",
        read_message=_phone_message,
    ),
    Step(
        NewAd.preview,
        "ad-preview-intro",
        _fixed(keyboards.preview),
        "ad-wrong-input-buttons",
        number=7,
    ),
)


async def _send_preview(turn: AdTurn, draft: Draft) -> None:
    """The ad exactly as the channel will show it."""
    content = draft.content()
    assert content is not None
    caption = turn.needs.captions.caption(content)
    if len(content.photos) == 1:
        await turn.bot.send_photo(turn.chat_id, content.photos[0].file_id, caption=caption)
        return
    await turn.bot.send_media_group(
        turn.chat_id,
        [
            InputMediaPhoto(media=photo.file_id, caption=caption if i == 0 else None)
            for i, photo in enumerate(content.photos)
        ],
    )


async def _offer_renewal(turn: AdTurn, draft: Draft) -> Draft:
    """The assistant: a draft that repeats one of the seller's own live ads gets, under the
    preview, the offer to renew that ad instead."""
    content = draft.content()
    repeat = await turn.needs.listings.own_repeat(turn.user_id, content) if content else None
    if repeat is None or repeat == draft.repeat_of:
        return draft
    noted = replace(draft, repeat_of=repeat)
    await turn.drafts.save(turn.state, noted, since=draft)
    t = turn.t
    button = keyboards.draft_button(t("ad-own-repeat-button", id=repeat), DraftAction.RENEW_OLD)
    markup = InlineKeyboardMarkup(inline_keyboard=[[button]])
    await turn.bot.send_message(turn.chat_id, t("ad-own-repeat", id=repeat), reply_markup=markup)
    return noted


async def _show_preview(turn: AdTurn, draft: Draft) -> Draft:
    """The preview, the dialog's last step: the ad as the channel will show it, then the
    assistant's offer to renew an own live ad it repeats."""
    await _send_preview(turn, draft)
    return await _offer_renewal(turn, draft)


AD_DIALOG = Dialog(
    STEPS,
    complete=lambda d: d.content() is not None,
    drafts=_drafts,
    needs=AdNeeds.of,
    show_last=_show_preview,
)
FIRST, PREVIEW = AD_DIALOG.first, AD_DIALOG.last


# -- handlers: entering and leaving --------------------------------------------------------------


async def cancel_command(
    message: Message, state: FSMContext, t: Translator, drafts: DraftStore
) -> None:
    if await state.get_state() is None:
        await message.answer(t("ad-nothing-to-cancel"), reply_markup=keyboards.main_menu(t))
        return
    await drafts.drop(state)
    await message.answer(t("ad-cancelled"), reply_markup=keyboards.main_menu(t))


async def cancel_button(
    query: CallbackQuery, state: FSMContext, t: Translator, bot: Bot, drafts: DraftStore
) -> None:
    await query.answer()
    if await state.get_state() is None:
        return
    await drafts.drop(state)
    await bot.send_message(
        query.from_user.id, t("ad-cancelled"), reply_markup=keyboards.main_menu(t)
    )


async def new_ad(
    message: Message,
    state: FSMContext,
    t: Translator,
    listings: Listings,
    turn: AdTurn,
    step: AdStep,
) -> None:
    if await state.get_state() is not None:  # already in the dialog: ask the question again
        await ask(turn, step)
        return
    try:
        await listings.check_limits(turn.user_id)
    except SubmitRefused as refused:
        await message.answer(refusal(t, refused), reply_markup=keyboards.main_menu(t))
        return
    await ask(turn, FIRST, Draft(), fresh=True)


# -- handlers: the preview -----------------------------------------------------------------------


async def submit(
    query: CallbackQuery,
    state: FSMContext,
    t: Translator,
    bot: Bot,
    drafts: DraftStore,
    listings: Listings,
) -> None:
    user_id = query.from_user.id
    content = (await drafts.load(state)).content()
    if content is None:
        await drafts.drop(state)
        await query.answer()
        await bot.send_message(user_id, t("ad-draft-gone"))
        return
    try:
        await listings.submit(user_id, content, draft=drafts.claim(state, NewAd.preview))
    except DraftGone:
        drafts.taken(state)  # gone, whoever took it: the storage must not remember it
        await query.answer()  # submitted already: that tap was answered
        return
    except SubmitRefused as refused:
        # The draft stays: the seller can submit it once a pending ad is decided.
        await query.answer()
        await bot.send_message(user_id, refusal(t, refused))
        return
    drafts.taken(state)
    await query.answer()
    if query.message is not None:
        await bot.edit_message_reply_markup(
            chat_id=user_id, message_id=query.message.message_id, reply_markup=None
        )
    await bot.send_message(user_id, t("ad-submitted"), reply_markup=keyboards.main_menu(t))


async def edit(query: CallbackQuery, t: Translator, bot: Bot) -> None:
    await query.answer()
    await bot.send_message(
        query.from_user.id, t("ad-edit-ask"), reply_markup=keyboards.edit_fields(t)
    )


async def edit_field(query: CallbackQuery, callback_data: DraftCb, turn: AdTurn) -> None:
    await query.answer()
    step = AD_DIALOG.editing(callback_data.field) if callback_data.field else None
    if step is None:
        return
    draft = replace(turn.draft, editing=True)
    if step.state == NewAd.photos:
        draft = replace(draft.without_photo_counter(), replace_photos=True)
    await ask(turn, step, draft)


async def back_to_preview(query: CallbackQuery, turn: AdTurn) -> None:
    await query.answer()
    await ask(turn, PREVIEW)


async def renew_old(
    query: CallbackQuery,
    state: FSMContext,
    t: Translator,
    bot: Bot,
    drafts: DraftStore,
    listings: Listings,
) -> None:
    """The seller renews their own live ad that the draft repeats, instead of submitting a
    second copy; the draft is dropped."""
    repeat_of = (await drafts.load(state)).repeat_of
    if repeat_of is None:
        await query.answer(t("button-outdated"), show_alert=True)
        return
    change = await listings.owner_acts(repeat_of, query.from_user.id, OwnerAction.RENEW)
    if change.ad is None or not change.applied:
        status = t(f"status-{change.ad.status.value}") if change.ad else "—"
        await query.answer(t("answer-late", status=status), show_alert=True)
        return
    await drafts.drop(state)
    await query.answer()
    await bot.send_message(
        query.from_user.id,
        t("ad-own-renewed", id=repeat_of),
        reply_markup=keyboards.main_menu(t),
    )


def refusal(t: Translator, refused: SubmitRefused) -> str:
    if refused.kind is LimitKind.BANNED:
        known = refused.reason in {r.value for r in RejectReason}
        reason = t(f"reject-reason-{refused.reason}") if known else refused.reason
        return t("ad-banned", reason=reason or "—")
    if refused.kind is LimitKind.PENDING:
        return t("ad-limit-pending", count=refused.count)
    return t("ad-limit-daily", limit=refused.limit)


def setup() -> Router:
    router = Router(name="new_ad")
    router.message.filter(PrivateChat())
    router.message.middleware(TurnMiddleware(AD_DIALOG))
    router.callback_query.middleware(TurnMiddleware(AD_DIALOG))
    # Steps are matched with StateFilter(...), never a bare State: a State is a plain callable,
    # which aiogram runs in a worker thread on every check (see bot/filters.py).
    in_dialog = StateFilter(NewAd)
    on_preview = StateFilter(NewAd.preview)
    router.message.register(cancel_command, Command("cancel"))
    router.message.register(cancel_command, Label("ad-cancel-button"))
    router.callback_query.register(cancel_button, DraftCb.filter(F.action == DraftAction.CANCEL))
    router.message.register(new_ad, Command("new"))
    router.message.register(new_ad, Label("menu-new-ad"))
    router.callback_query.register(
        submit, on_preview, DraftCb.filter(F.action == DraftAction.SUBMIT)
    )
    router.callback_query.register(edit, on_preview, DraftCb.filter(F.action == DraftAction.EDIT))
    router.callback_query.register(
        edit_field, on_preview, DraftCb.filter(F.action == DraftAction.EDIT_FIELD)
    )
    router.callback_query.register(
        back_to_preview, on_preview, DraftCb.filter(F.action == DraftAction.BACK_TO_PREVIEW)
    )
    router.callback_query.register(
        renew_old, on_preview, DraftCb.filter(F.action == DraftAction.RENEW_OLD)
    )
    router.callback_query.register(answer_button, in_dialog, DraftCb.filter())
    router.message.register(answer_message, in_dialog)  # last: everything else in the dialog
    return router
