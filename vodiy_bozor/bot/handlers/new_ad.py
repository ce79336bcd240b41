"""The ad dialog: category → photos → description → price → region → phone → preview → submit.

Each step is one message with a short question and its buttons, Cancel always last. The answers
live in the FSM data in PostgreSQL, so a seller who comes back after a restart continues where
they were; the draft is dropped only on cancel or submit. Wrong input never moves the dialog:
it gets a short re-prompt for the step the seller is on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    Message,
    ReplyKeyboardMarkup,
)

from vodiy_bozor import ads
from vodiy_bozor.app import App
from vodiy_bozor.bot import keyboards
from vodiy_bozor.bot.callbacks import DraftAction, DraftCb, DraftField
from vodiy_bozor.bot.filters import Match, PlainText, PrivateChat, TextIs, TypedAnswer
from vodiy_bozor.bot.fsm_storage import PostgresStorage
from vodiy_bozor.captions import (
    DESCRIPTION_LIMIT,
    DISTRICT_LIMIT,
    format_price,
    render_caption,
    utf16_len,
)
from vodiy_bozor.models import AdContent, Category, Currency, Lang, Photo, Price, Region
from vodiy_bozor.parsing import (
    PhoneError,
    PriceError,
    PriceProblem,
    format_phone,
    normalize_answer,
    parse_phone,
    parse_price,
)
from vodiy_bozor.texts import Texts, Translator

MAX_PHOTOS = 10
STEPS = 7


class NewAd(StatesGroup):
    category = State()
    photos = State()
    description = State()
    price = State()
    region = State()
    district = State()
    phone = State()
    preview = State()


_STEP_NUMBER = {
    NewAd.category.state: 1,
    NewAd.photos.state: 2,
    NewAd.description.state: 3,
    NewAd.price.state: 4,
    NewAd.region.state: 5,
    NewAd.district.state: 5,
    NewAd.phone.state: 6,
    NewAd.preview.state: 7,
}
_ORDER = [
    NewAd.category,
    NewAd.photos,
    NewAd.description,
    NewAd.price,
    NewAd.region,
    NewAd.district,
    NewAd.phone,
    NewAd.preview,
]
_FIELD_STEP = {
    DraftField.CATEGORY: NewAd.category,
    DraftField.PHOTOS: NewAd.photos,
    DraftField.DESCRIPTION: NewAd.description,
    DraftField.PRICE: NewAd.price,
    DraftField.REGION: NewAd.region,
    DraftField.PHONE: NewAd.phone,
}
_WRONG_INPUT = {
    NewAd.category.state: "ad-wrong-input-buttons",
    NewAd.photos.state: "ad-wrong-input-photos",
    NewAd.description.state: "ad-wrong-input-text",
    NewAd.price.state: "ad-wrong-input-text",
    NewAd.region.state: "ad-wrong-input-buttons",
    NewAd.district.state: "ad-wrong-input-text",
    NewAd.phone.state: "ad-wrong-input-phone",
    NewAd.preview.state: "ad-wrong-input-buttons",
}
_PRICE_PROBLEM = {
    PriceProblem.EMPTY: "ad-price-not-a-number",
    PriceProblem.NOT_A_NUMBER: "ad-price-not-a-number",
    PriceProblem.NEGATIVE: "ad-price-negative",
    PriceProblem.TOO_LARGE: "ad-price-too-large",
    PriceProblem.TOO_SMALL: "ad-price-too-small",
}
_NOT_LETTERS = re.compile(r"[^\w\s'ʻʼ‘’`-]+")


def _labels(texts: Texts, prefix: str, values: list[Any]) -> dict[str, Any]:
    """Typed answers for button steps: each label in every language (and either Uzbek script),
    without its emoji, normalised for comparison."""
    lookup: dict[str, Any] = {}
    for value in values:
        for lang in Lang:
            label = _NOT_LETTERS.sub("", texts.get(lang, f"{prefix}-{value.value}")).strip()
            lookup[normalize_answer(label)] = value
    return lookup


def draft_content(data: Mapping[str, Any]) -> AdContent:
    """The ad as the draft holds it; KeyError or ValueError when a part is missing."""
    photos = sorted(data["photos"], key=lambda p: p["m"])
    if not photos:
        raise KeyError("photos")
    price = data["price"]
    return AdContent(
        category=Category(data["category"]),
        description=data["description"],
        price=Price(price["amount"], Currency(price["currency"])),
        region=Region(data["region"]),
        district=data.get("district"),
        phone=data["phone"],
        photos=tuple(Photo(p["id"], p["uid"]) for p in photos),
    )


class Dialog:
    """Asking the questions: one place that knows what each step says and shows."""

    def __init__(self, app: App, storage: PostgresStorage) -> None:
        self.app = app
        self.storage = storage

    def question(
        self, step: State, t: Translator, data: Mapping[str, Any]
    ) -> tuple[str, InlineKeyboardMarkup | ReplyKeyboardMarkup]:
        number = f"{_STEP_NUMBER[step.state or '']}/{STEPS}"
        if step == NewAd.category:
            return t("ad-ask-category", step=number), keyboards.categories(t)
        if step == NewAd.photos:
            has_photos = bool(data.get("photos"))
            markup = keyboards.photos_done(t) if has_photos else keyboards.cancel_only(t)
            return t("ad-ask-photos", step=number), markup
        if step == NewAd.description:
            return t("ad-ask-description", step=number, limit=DESCRIPTION_LIMIT), (
                keyboards.cancel_only(t)
            )
        if step == NewAd.price:
            return t("ad-ask-price", step=number), keyboards.price(t)
        if step == NewAd.region:
            return t("ad-ask-region", step=number), keyboards.regions(t)
        if step == NewAd.district:
            return t("ad-ask-district"), keyboards.district(t)
        if step == NewAd.phone:
            return t("ad-ask-phone", step=number), keyboards.share_phone(t)
        return t("ad-preview-intro", step=number), keyboards.preview(t)

    async def ask(
        self,
        chat_id: int,
        state: FSMContext,
        step: State,
        t: Translator,
        prefix: str = "",
        *,
        save: Mapping[str, Any] | None = None,
        replace: bool = False,
    ) -> None:
        """Move the dialog to `step` and ask its question (the preview shows the ad first).

        `save` is the answer of the step being left, merged into the draft (or replacing it,
        with `replace`) in the same write as the step change: one statement per step.
        """
        await self.storage.move(state.key, step, save, replace=replace)
        data = await state.get_data()
        bot = self.app.bot
        if step == NewAd.preview:
            try:
                await self.send_preview(bot, chat_id, data)
            except (KeyError, ValueError, TypeError):
                # A step is missing (an old or damaged draft): go back to the first gap.
                gap = _first_gap(data)
                await self.ask(chat_id, state, gap, t, prefix)
                return
        text, markup = self.question(step, t, data)
        if prefix:
            text = f"{prefix}\n\n{text}"
        await bot.send_message(chat_id, text, reply_markup=markup)

    async def send_preview(self, bot: Bot, chat_id: int, data: Mapping[str, Any]) -> None:
        content = draft_content(data)
        caption = render_caption(self.app.texts, content, bot_username=self.app.bot_username)
        if len(content.photos) == 1:
            await bot.send_photo(chat_id, content.photos[0].file_id, caption=caption)
            return
        await bot.send_media_group(
            chat_id,
            [
                InputMediaPhoto(media=photo.file_id, caption=caption if i == 0 else None)
                for i, photo in enumerate(content.photos)
            ],
        )

    async def advance(
        self,
        chat_id: int,
        state: FSMContext,
        current: State,
        t: Translator,
        prefix: str = "",
        *,
        save: Mapping[str, Any] | None = None,
    ) -> None:
        """Save `save` and go to the step after `current`; back to the preview when the seller
        was editing a field (the district belongs to the region, so editing a region still
        asks for it)."""
        data = await state.get_data()
        if data.get("editing") and current != NewAd.region:
            await self.ask(chat_id, state, NewAd.preview, t, prefix, save=save)
            return
        await self.ask(chat_id, state, _ORDER[_ORDER.index(current) + 1], t, prefix, save=save)


def _first_gap(data: Mapping[str, Any]) -> State:
    for key, step in (
        ("category", NewAd.category),
        ("photos", NewAd.photos),
        ("description", NewAd.description),
        ("price", NewAd.price),
        ("region", NewAd.region),
        ("phone", NewAd.phone),
    ):
        if not data.get(key):
            return step
    return NewAd.category


def build_router(app: App) -> Router:
    router = Router(name="new_ad")
    router.message.filter(PrivateChat())
    # Steps are matched with StateFilter(...), never a bare State: a State is a plain callable,
    # which aiogram runs through asyncio.to_thread on every check (see bot/filters.py). That was
    # about seven thread-pool hops per update, most of them for handlers that did not match.
    storage = PostgresStorage(app.pool)
    dialog = Dialog(app, storage)
    texts = app.texts
    category_labels = _labels(texts, "category", list(Category))
    region_labels = _labels(texts, "region", list(Region))
    done_labels = {
        normalize_answer(_NOT_LETTERS.sub("", v)): True
        for v in texts.variants("ad-photos-done-button")
    }

    def state_of(name: str | None) -> State:
        return next((s for s in _ORDER if s.state == name), NewAd.category)

    # -- leaving and entering ------------------------------------------------------------------

    @router.message(Command("cancel"))
    @router.message(TextIs(texts.variants("ad-cancel-button")))
    async def cancel_command(message: Message, state: FSMContext, t: Translator) -> None:
        if await state.get_state() is None:
            await message.answer(t("ad-nothing-to-cancel"), reply_markup=keyboards.main_menu(t))
            return
        await storage.clear(state.key)
        await message.answer(t("ad-cancelled"), reply_markup=keyboards.main_menu(t))

    @router.callback_query(DraftCb.filter(F.action == DraftAction.CANCEL))
    async def cancel_button(query: CallbackQuery, state: FSMContext, t: Translator) -> None:
        await query.answer()
        if await state.get_state() is None:
            return
        await storage.clear(state.key)
        await app.bot.send_message(
            query.from_user.id, t("ad-cancelled"), reply_markup=keyboards.main_menu(t)
        )

    @router.message(Command("new"))
    @router.message(TextIs(texts.variants("menu-new-ad")))
    async def new_ad(message: Message, state: FSMContext, t: Translator) -> None:
        assert message.from_user is not None
        current = await state.get_state()
        if current is not None:  # already in the dialog: ask the current question again
            await dialog.ask(message.chat.id, state, state_of(current), t)
            return
        if not app.is_admin(message.from_user.id):
            try:
                await ads.check_limits(app.pool, message.from_user.id)
            except ads.SubmitRefused as refused:
                await message.answer(_refusal(t, refused), reply_markup=keyboards.main_menu(t))
                return
        await dialog.ask(
            message.chat.id, state, NewAd.category, t, save={"photos": []}, replace=True
        )

    # -- 1. category ---------------------------------------------------------------------------

    @router.callback_query(
        StateFilter(NewAd.category), DraftCb.filter(F.action == DraftAction.CATEGORY)
    )
    async def category_chosen(
        query: CallbackQuery, callback_data: DraftCb, state: FSMContext, t: Translator
    ) -> None:
        await query.answer()
        if callback_data.category is None:
            return
        await _category(query.from_user.id, state, callback_data.category, t)

    @router.message(StateFilter(NewAd.category), TypedAnswer(category_labels))
    async def category_typed(
        message: Message, state: FSMContext, t: Translator, answer: Category
    ) -> None:
        await _category(message.chat.id, state, answer, t)

    async def _category(chat_id: int, state: FSMContext, category: Category, t: Translator) -> None:
        chosen = f"{t('ad-field-category')}: {t(f'category-{category.value}')} ✅"
        await dialog.advance(
            chat_id, state, NewAd.category, t, prefix=chosen, save={"category": category.value}
        )

    # -- 2. photos -----------------------------------------------------------------------------

    @router.message(StateFilter(NewAd.photos), Match(F.photo))
    async def photo_received(message: Message, state: FSMContext, t: Translator) -> None:
        assert message.photo is not None
        data = await state.get_data()
        if data.get("replace_photos"):
            # Editing the photos: the first new photo replaces the old ones.
            await state.update_data(photos=[], replace_photos=False, status_group=None)
        largest = message.photo[-1]
        item = {"id": largest.file_id, "uid": largest.file_unique_id, "m": message.message_id}
        count = await storage.append_unique(
            state.key, "photos", item, unique_by="uid", limit=MAX_PHOTOS
        )
        group = message.media_group_id
        data = await state.get_data()
        if count is None:
            # Over the limit: say it once per album, not once per extra photo.
            if group is None or data.get("limit_group") != group:
                await state.update_data(limit_group=group)
                await message.answer(t("ad-photos-limit", limit=MAX_PHOTOS))
            return
        text = t("ad-photos-received", count=count)
        status_id = data.get("status_id")
        if group is not None and data.get("status_group") == group and status_id:
            # The rest of an album: update the one status message instead of adding more.
            await app.bot.edit_message_text(
                text,
                chat_id=message.chat.id,
                message_id=status_id,
                reply_markup=keyboards.photos_done(t),
            )
            return
        sent = await message.answer(text, reply_markup=keyboards.photos_done(t))
        await state.update_data(status_group=group, status_id=sent.message_id)

    @router.callback_query(
        StateFilter(NewAd.photos), DraftCb.filter(F.action == DraftAction.PHOTOS_DONE)
    )
    async def photos_done(query: CallbackQuery, state: FSMContext, t: Translator) -> None:
        await _photos_done(query.from_user.id, state, t)
        await query.answer()

    @router.message(StateFilter(NewAd.photos), TypedAnswer(done_labels))
    async def photos_done_typed(message: Message, state: FSMContext, t: Translator) -> None:
        await _photos_done(message.chat.id, state, t)

    async def _photos_done(chat_id: int, state: FSMContext, t: Translator) -> None:
        data = await state.get_data()
        if not data.get("photos"):
            await app.bot.send_message(
                chat_id, t("ad-photos-need-one"), reply_markup=keyboards.cancel_only(t)
            )
            return
        await dialog.advance(
            chat_id,
            state,
            NewAd.photos,
            t,
            save={"replace_photos": False, "status_group": None, "status_id": None},
        )

    # -- 3. description ------------------------------------------------------------------------

    @router.message(StateFilter(NewAd.description), PlainText())
    async def description_typed(message: Message, state: FSMContext, t: Translator) -> None:
        assert message.text is not None
        text = message.text.strip()
        if not text:
            await message.answer(t("ad-description-empty"), reply_markup=keyboards.cancel_only(t))
            return
        length = utf16_len(text)
        if length > DESCRIPTION_LIMIT:
            await message.answer(
                t("ad-description-too-long", length=length, limit=DESCRIPTION_LIMIT),
                reply_markup=keyboards.cancel_only(t),
            )
            return
        await dialog.advance(
            message.chat.id, state, NewAd.description, t, save={"description": text}
        )

    # -- 4. price ------------------------------------------------------------------------------

    @router.message(StateFilter(NewAd.price), PlainText())
    async def price_typed(message: Message, state: FSMContext, t: Translator) -> None:
        assert message.text is not None
        try:
            price = parse_price(message.text)
        except PriceError as error:
            await message.answer(t(_PRICE_PROBLEM[error.reason]), reply_markup=keyboards.price(t))
            return
        await _price(message.chat.id, state, price, t)

    @router.callback_query(
        StateFilter(NewAd.price), DraftCb.filter(F.action == DraftAction.NEGOTIABLE)
    )
    async def price_negotiable(query: CallbackQuery, state: FSMContext, t: Translator) -> None:
        await query.answer()
        await _price(query.from_user.id, state, Price.negotiable_price(), t)

    async def _price(chat_id: int, state: FSMContext, price: Price, t: Translator) -> None:
        saved = {"price": {"amount": price.amount, "currency": price.currency.value}}
        shown = t("ad-price-saved", price=format_price(texts, t.lang, price)) + " ✅"
        await dialog.advance(chat_id, state, NewAd.price, t, prefix=shown, save=saved)

    # -- 5. region and district ----------------------------------------------------------------

    @router.callback_query(
        StateFilter(NewAd.region), DraftCb.filter(F.action == DraftAction.REGION)
    )
    async def region_chosen(
        query: CallbackQuery, callback_data: DraftCb, state: FSMContext, t: Translator
    ) -> None:
        await query.answer()
        if callback_data.region is not None:
            await _region(query.from_user.id, state, callback_data.region, t)

    @router.message(StateFilter(NewAd.region), TypedAnswer(region_labels))
    async def region_typed(
        message: Message, state: FSMContext, t: Translator, answer: Region
    ) -> None:
        await _region(message.chat.id, state, answer, t)

    async def _region(chat_id: int, state: FSMContext, region: Region, t: Translator) -> None:
        chosen = f"{t('ad-field-region')}: {t(f'region-{region.value}')} ✅"
        saved = {"region": region.value, "district": None}
        await dialog.advance(chat_id, state, NewAd.region, t, prefix=chosen, save=saved)

    @router.message(StateFilter(NewAd.district), PlainText())
    async def district_typed(message: Message, state: FSMContext, t: Translator) -> None:
        assert message.text is not None
        district = " ".join(message.text.split())
        if utf16_len(district) > DISTRICT_LIMIT:
            await message.answer(
                t("ad-district-too-long", limit=DISTRICT_LIMIT), reply_markup=keyboards.district(t)
            )
            return
        await dialog.advance(
            message.chat.id, state, NewAd.district, t, save={"district": district or None}
        )

    @router.callback_query(
        StateFilter(NewAd.district), DraftCb.filter(F.action == DraftAction.SKIP_DISTRICT)
    )
    async def district_skipped(query: CallbackQuery, state: FSMContext, t: Translator) -> None:
        await query.answer()
        await dialog.advance(query.from_user.id, state, NewAd.district, t, save={"district": None})

    # -- 6. phone ------------------------------------------------------------------------------

    @router.message(StateFilter(NewAd.phone), Match(F.contact))
    async def phone_shared(message: Message, state: FSMContext, t: Translator) -> None:
        assert message.contact is not None
        assert message.from_user is not None
        if message.contact.user_id != message.from_user.id:
            await message.answer(t("ad-phone-not-own"), reply_markup=keyboards.share_phone(t))
            return
        await _phone(message, state, message.contact.phone_number, t)

    @router.message(StateFilter(NewAd.phone), PlainText())
    async def phone_typed(message: Message, state: FSMContext, t: Translator) -> None:
        assert message.text is not None
        await _phone(message, state, message.text, t)

    async def _phone(message: Message, state: FSMContext, raw: str, t: Translator) -> None:
        try:
            phone = parse_phone(raw)
        except PhoneError:
            await message.answer(t("ad-phone-invalid"), reply_markup=keyboards.share_phone(t))
            return
        await state.update_data(phone=phone)
        # Confirming the number also brings the main menu back in place of the share button.
        await message.answer(
            t("ad-phone-saved", phone=format_phone(phone)) + " ✅",
            reply_markup=keyboards.main_menu(t),
        )
        await dialog.advance(message.chat.id, state, NewAd.phone, t)

    # -- 7. preview, edit, submit --------------------------------------------------------------

    @router.callback_query(
        StateFilter(NewAd.preview), DraftCb.filter(F.action == DraftAction.SUBMIT)
    )
    async def submit(query: CallbackQuery, state: FSMContext, t: Translator) -> None:
        user_id = query.from_user.id
        try:
            content = draft_content(await state.get_data())
        except (KeyError, ValueError, TypeError):
            await storage.clear(state.key)
            await query.answer()
            await app.bot.send_message(user_id, t("ad-draft-gone"))
            return
        try:
            await ads.submit(
                app.pool,
                user_id,
                content,
                admin_ids=app.settings.admin_ids,
                limited=not app.is_admin(user_id),
            )
        except ads.SubmitRefused as refused:
            # The draft stays: the seller can submit it once a pending ad is decided.
            await query.answer()
            await app.bot.send_message(user_id, _refusal(t, refused))
            return
        await storage.clear(state.key)
        await query.answer()
        if query.message is not None:
            await app.bot.edit_message_reply_markup(
                chat_id=user_id, message_id=query.message.message_id, reply_markup=None
            )
        await app.bot.send_message(user_id, t("ad-submitted"), reply_markup=keyboards.main_menu(t))

    @router.callback_query(StateFilter(NewAd.preview), DraftCb.filter(F.action == DraftAction.EDIT))
    async def edit(query: CallbackQuery, t: Translator) -> None:
        await query.answer()
        await app.bot.send_message(
            query.from_user.id, t("ad-edit-ask"), reply_markup=keyboards.edit_fields(t)
        )

    @router.callback_query(
        StateFilter(NewAd.preview), DraftCb.filter(F.action == DraftAction.EDIT_FIELD)
    )
    async def edit_field(
        query: CallbackQuery, callback_data: DraftCb, state: FSMContext, t: Translator
    ) -> None:
        await query.answer()
        if callback_data.field is None:
            return
        patch: dict[str, Any] = {"editing": True}
        if callback_data.field is DraftField.PHOTOS:
            patch |= {"replace_photos": True, "status_group": None, "status_id": None}
        await dialog.ask(query.from_user.id, state, _FIELD_STEP[callback_data.field], t, save=patch)

    @router.callback_query(
        StateFilter(NewAd.preview), DraftCb.filter(F.action == DraftAction.BACK_TO_PREVIEW)
    )
    async def back_to_preview(query: CallbackQuery, state: FSMContext, t: Translator) -> None:
        await query.answer()
        await dialog.ask(query.from_user.id, state, NewAd.preview, t)

    # -- anything else while in the dialog -----------------------------------------------------

    @router.message(StateFilter(NewAd))
    async def wrong_input(message: Message, state: FSMContext, t: Translator) -> None:
        current = await state.get_state()
        step = state_of(current)
        is_command = bool(message.text and message.text.startswith("/"))
        hint = t("ad-finish-first") if is_command else t(_WRONG_INPUT[step.state or ""])
        text, markup = dialog.question(step, t, await state.get_data())
        await message.answer(f"{hint}\n\n{text}", reply_markup=markup)

    return router


def _refusal(t: Translator, refused: ads.SubmitRefused) -> str:
    if refused.kind is ads.LimitKind.PENDING:
        return t("ad-limit-pending", count=refused.count)
    return t("ad-limit-daily", limit=refused.limit)
