"""Every keyboard the bot shows. Cancel is always the last button."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, TypeVar

from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    WebAppInfo,
)

from vodiy_bozor.bot.callbacks import (
    TYPED_REASON,
    DraftAction,
    DraftCb,
    DraftField,
    LangCb,
    ModAction,
    ModCb,
    MyAdsAction,
    MyAdsCb,
    PromoCb,
    PublishAgainCb,
    SearchAction,
    SearchCb,
    SoldAction,
    SoldCb,
    SubsAction,
    SubsCb,
)
from vodiy_bozor.models import Ad, AdStatus, Category, Lang, Region, SavedSearch
from vodiy_bozor.services.listings import RejectReason
from vodiy_bozor.services.promotions import PromoKind, PromoSettings
from vodiy_bozor.texts import Texts, Translator

_Markup = TypeVar("_Markup", InlineKeyboardMarkup, ReplyKeyboardMarkup)


def _per_language(build: Callable[[Translator], _Markup]) -> Callable[[Translator], _Markup]:
    """Build a keyboard that depends on nothing but the language once per language.

    Each build is a few dozen pydantic models and Fluent lookups, and the dialog sends one of
    these keyboards with nearly every answer: the benchmark profile had them at a few percent
    of the bot's CPU. Sharing one object is safe: nothing changes a keyboard once built.
    """
    built: dict[tuple[Texts, Lang], _Markup] = {}

    @wraps(build)
    def cached(t: Translator) -> _Markup:
        key = (t.texts, t.lang)
        markup = built.get(key)
        if markup is None:
            markup = built[key] = build(t)
        return markup

    return cached


# The catalogue Mini App's address (WEBAPP_URL), or None when it is off. One per process and
# shown by keyboards that many handlers build, so it is set once, when the dispatcher is built
# (`use_catalogue`), rather than passed through every handler.
_catalogue_url: str | None = None


def use_catalogue(url: str | None) -> None:
    global _catalogue_url
    _catalogue_url = url


def catalogue_url() -> str | None:
    return _catalogue_url


def main_menu(t: Translator) -> ReplyKeyboardMarkup:
    return _main_menu_catalogue(t) if _catalogue_url else _main_menu(t)


def main_menus(t: Translator) -> tuple[ReplyKeyboardMarkup, ...]:
    """Every main menu the bot may show, with and without the catalogue's 🛍 (for the labels
    that end a waiting question, whatever the settings)."""
    return (_main_menu(t), _main_menu_catalogue(t))


@_per_language
def _main_menu(t: Translator) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=t("menu-new-ad")), KeyboardButton(text=t("menu-search"))],
            [KeyboardButton(text=t("menu-my-ads")), KeyboardButton(text=t("menu-subs"))],
            [KeyboardButton(text=t("menu-help")), KeyboardButton(text=t("menu-lang"))],
        ],
        resize_keyboard=True,
        is_persistent=True,
    )


@_per_language
def _main_menu_catalogue(t: Translator) -> ReplyKeyboardMarkup:
    """The main menu with 🛍. A plain text button, answered with an inline `web_app` button
    (bot/handlers/catalogue.py): a Mini App opened from a reply keyboard's `web_app` button
    gets no user from Telegram ("without sending user information to the web app",
    https://core.telegram.org/constructor/keyboardButtonSimpleWebView), and the catalogue
    needs the signed user for favourites, phones and saved searches."""
    rows = _main_menu(t).keyboard
    return ReplyKeyboardMarkup(
        keyboard=[rows[0], [*rows[1], KeyboardButton(text=t("webapp-menu"))], rows[2]],
        resize_keyboard=True,
        is_persistent=True,
    )


def catalogue(t: Translator, url: str) -> InlineKeyboardMarkup:
    """One button that opens the catalogue (https://core.telegram.org/bots/api#webappinfo)."""
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=t("webapp-menu"), web_app=WebAppInfo(url=url))]]
    )


def languages() -> InlineKeyboardMarkup:
    # Each language is named in itself, so anyone can find theirs.
    names = {
        Lang.UZ_CYRL: "Ўзбекча (кирилл)",
        Lang.UZ_LATN: "Oʻzbekcha (lotin)",
        Lang.RU: "Русский",
    }
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=name, callback_data=LangCb(lang=lang).pack())]
            for lang, name in names.items()
        ]
    )


# -- the ad dialog ---------------------------------------------------------------------------


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def draft_button(text: str, action: DraftAction) -> InlineKeyboardButton:
    """A button of the ad dialog whose meaning is in the draft (a price to confirm or one of
    the readings of a bare number)."""
    return _button(text, DraftCb(action=action))


def draft_choices(
    t: Translator, choices: Sequence[tuple[str, DraftAction]]
) -> InlineKeyboardMarkup:
    """Choices whose meaning is in the draft (`draft_button`), one to a row, then Cancel."""
    rows = [[draft_button(label, action)] for label, action in choices]
    return InlineKeyboardMarkup(inline_keyboard=[*rows, _cancel_row(t)])


def _cancel_row(t: Translator) -> list[InlineKeyboardButton]:
    return [_button(t("ad-cancel-button"), DraftCb(action=DraftAction.CANCEL))]


def _pairs(buttons: list[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def _step_button(t: Translator, key: str, action: DraftAction) -> InlineKeyboardButton:
    return _button(t(key), DraftCb(action=action))


def _choices_then_cancel(
    t: Translator, buttons: list[InlineKeyboardButton]
) -> InlineKeyboardMarkup:
    """A dialog step's buttons (two to a row when they are several), then Cancel."""
    return InlineKeyboardMarkup(inline_keyboard=[*_pairs(buttons), _cancel_row(t)])


@_per_language
def cancel_only(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[_cancel_row(t)])


@_per_language
def categories(t: Translator) -> InlineKeyboardMarkup:
    return _choices_then_cancel(
        t,
        [
            _button(t(f"category-{c.value}"), DraftCb(action=DraftAction.CATEGORY, category=c))
            for c in Category
        ],
    )


@_per_language
def photos_done(t: Translator) -> InlineKeyboardMarkup:
    return _choices_then_cancel(
        t, [_step_button(t, "ad-photos-done-button", DraftAction.PHOTOS_DONE)]
    )


@_per_language
def price(t: Translator) -> InlineKeyboardMarkup:
    return _choices_then_cancel(
        t, [_step_button(t, "ad-price-negotiable-button", DraftAction.NEGOTIABLE)]
    )


@_per_language
def regions(t: Translator) -> InlineKeyboardMarkup:
    return _choices_then_cancel(
        t,
        [
            _button(t(f"region-{r.value}"), DraftCb(action=DraftAction.REGION, region=r))
            for r in Region
        ],
    )


@_per_language
def district(t: Translator) -> InlineKeyboardMarkup:
    return _choices_then_cancel(
        t, [_step_button(t, "ad-skip-district-button", DraftAction.SKIP_DISTRICT)]
    )


@_per_language
def share_phone(t: Translator) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=t("ad-share-phone-button"), request_contact=True)],
            [KeyboardButton(text=t("ad-cancel-button"))],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


@_per_language
def preview(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(t("ad-submit-button"), DraftCb(action=DraftAction.SUBMIT))],
            [_button(t("ad-edit-button"), DraftCb(action=DraftAction.EDIT))],
            _cancel_row(t),
        ]
    )


@_per_language
def edit_fields(t: Translator) -> InlineKeyboardMarkup:
    buttons = [
        _button(t(f"ad-field-{f.value}"), DraftCb(action=DraftAction.EDIT_FIELD, field=f))
        for f in DraftField
    ]
    back = _button(t("ad-back-to-preview-button"), DraftCb(action=DraftAction.BACK_TO_PREVIEW))
    return InlineKeyboardMarkup(inline_keyboard=[*_pairs(buttons), [back], _cancel_row(t)])


# -- moderation ------------------------------------------------------------------------------


def moderation(
    t: Translator, ad_id: int, suggested: Category | None = None
) -> InlineKeyboardMarkup:
    """✅ and ❌; and, when the assistant is confident the seller chose the wrong category,
    a button that changes it (the admin decides)."""
    rows = [
        [
            _button(t("mod-approve-button"), ModCb(action=ModAction.APPROVE, ad_id=ad_id)),
            _button(t("mod-reject-button"), ModCb(action=ModAction.REJECT, ad_id=ad_id)),
        ]
    ]
    if suggested is not None:
        label = t("hint-category-button", category=t(f"category-{suggested.value}"))
        data = ModCb(action=ModAction.CATEGORY, ad_id=ad_id, reason=suggested.value)
        rows.append([_button(label, data)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def ban_reasons(t: Translator, ad_id: int) -> InlineKeyboardMarkup:
    rows = [
        [
            _button(
                t(f"reject-reason-{reason.value}"),
                ModCb(action=ModAction.BAN_REASON, ad_id=ad_id, reason=reason.value),
            )
        ]
        for reason in RejectReason
    ]
    rows.append([_button(t("mod-back-button"), ModCb(action=ModAction.BACK, ad_id=ad_id))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def reject_reasons(t: Translator, ad_id: int) -> InlineKeyboardMarkup:
    rows = [
        [
            _button(
                t(f"reject-reason-{reason.value}"),
                ModCb(action=ModAction.REASON, ad_id=ad_id, reason=reason.value),
            )
        ]
        for reason in RejectReason
    ]
    typed = ModCb(action=ModAction.REASON, ad_id=ad_id, reason=TYPED_REASON)
    rows.append([_button(t("mod-reason-typed-button"), typed)])
    rows.append([_button(t("hint-ban-button"), ModCb(action=ModAction.BAN, ad_id=ad_id))])
    rows.append([_button(t("mod-back-button"), ModCb(action=ModAction.BACK, ad_id=ad_id))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def publish_again(t: Translator, ad_ids: Sequence[int]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(t("unposted-button", id=ad_id), PublishAgainCb(ad_id=ad_id))]
            for ad_id in ad_ids
        ]
    )


# -- "has it sold?" and "my ads" -------------------------------------------------------------


def sold_question(t: Translator, ad_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(t("sold-button"), SoldCb(action=SoldAction.SOLD, ad_id=ad_id))],
            [_button(t("selling-button"), SoldCb(action=SoldAction.SELLING, ad_id=ad_id))],
            [_button(t("remove-button"), SoldCb(action=SoldAction.REMOVE, ad_id=ad_id))],
        ]
    )


def promote(t: Translator, ad_id: int, prices: PromoSettings) -> InlineKeyboardMarkup | None:
    """🚀 lift and 📌 pin with their prices in Stars, under "your ad is out"."""
    row = [
        _button(t(f"promo-{kind.value}-button", stars=price), PromoCb(kind=kind, ad_id=ad_id))
        for kind in prices.kinds
        if (price := prices.price(kind)) is not None
    ]
    return InlineKeyboardMarkup(inline_keyboard=[row]) if row else None


def my_ads(
    t: Translator,
    ads: Sequence[Ad],
    *,
    page: int,
    pages: int,
    confirm: int | None = None,
    promote: Sequence[PromoKind] = (),
) -> InlineKeyboardMarkup | None:
    """Per ad the actions its state allows; removing asks once more first; a published ad's
    paid promotions (`promote`: those that have a price)."""
    rows: list[list[InlineKeyboardButton]] = []
    for ad in ads:

        def cb(action: MyAdsAction, ad_id: int = ad.id) -> MyAdsCb:
            return MyAdsCb(action=action, ad_id=ad_id, page=page)

        if confirm == ad.id:
            rows.append(
                [
                    _button(t("my-confirm-remove-button", id=ad.id), cb(MyAdsAction.REMOVE_YES)),
                    _button(t("my-keep-button"), cb(MyAdsAction.PAGE)),
                ]
            )
            continue
        row: list[InlineKeyboardButton] = []
        if ad.status in (AdStatus.PUBLISHED, AdStatus.APPROVED):
            row.append(_button(t("my-sold-button", id=ad.id), cb(MyAdsAction.SOLD)))
        if ad.status is AdStatus.EXPIRED:
            row.append(_button(t("my-renew-button", id=ad.id), cb(MyAdsAction.RENEW)))
        if ad.status in (AdStatus.PUBLISHED, AdStatus.APPROVED, AdStatus.EXPIRED, AdStatus.PENDING):
            row.append(_button(t("my-remove-button", id=ad.id), cb(MyAdsAction.REMOVE)))
        if row:
            rows.append(row)
        if ad.status is AdStatus.PUBLISHED and promote:
            rows.append(
                [
                    _button(t(f"my-{kind.value}-button", id=ad.id), PromoCb(kind=kind, ad_id=ad.id))
                    for kind in promote
                ]
            )
    if pages > 1:
        nav: list[InlineKeyboardButton] = []
        if page > 0:
            nav.append(_button("⬅️", MyAdsCb(action=MyAdsAction.PAGE, page=page - 1)))
        nav.append(_button(f"{page + 1}/{pages}", MyAdsCb(action=MyAdsAction.PAGE, page=page)))
        if page + 1 < pages:
            nav.append(_button("➡️", MyAdsCb(action=MyAdsAction.PAGE, page=page + 1)))
        rows.append(nav)
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


# -- buyers ----------------------------------------------------------------------------------


def search_results(
    t: Translator,
    version: int,
    *,
    page: int,
    more: bool,
    category: str | None,
    region: str | None,
    price: str | None,
) -> InlineKeyboardMarkup:
    """◀ ▶ paging (when there is more than one page), one button per filter (a set filter
    shows its value and removes it), and 🔔 to save the search. `category`, `region` and
    `price` are the set filters' labels, None when unset."""

    def cb(action: SearchAction, page: int = page) -> str:
        return SearchCb(action=action, v=version, page=page).pack()

    rows: list[list[InlineKeyboardButton]] = []
    nav: list[InlineKeyboardButton] = []
    if page > 0:
        nav.append(InlineKeyboardButton(text="◀", callback_data=cb(SearchAction.PAGE, page - 1)))
    if page > 0 or more:
        nav.append(InlineKeyboardButton(text=str(page + 1), callback_data=cb(SearchAction.PAGE)))
    if more:
        nav.append(InlineKeyboardButton(text="▶", callback_data=cb(SearchAction.PAGE, page + 1)))
    if nav:
        rows.append(nav)

    def toggle(label: str | None, open_key: str, open_: SearchAction, drop: SearchAction) -> Any:
        if label is None:
            return InlineKeyboardButton(text=t(open_key), callback_data=cb(open_, 0))
        return InlineKeyboardButton(text=f"✖ {label}", callback_data=cb(drop, 0))

    rows.append(
        [
            toggle(
                category,
                "search-filter-category",
                SearchAction.CATEGORY,
                SearchAction.DROP_CATEGORY,
            ),
            toggle(region, "search-filter-region", SearchAction.REGION, SearchAction.DROP_REGION),
        ]
    )
    rows.append(
        [
            toggle(price, "search-filter-price", SearchAction.PRICE, SearchAction.DROP_PRICE),
            InlineKeyboardButton(text=t("search-save-button"), callback_data=cb(SearchAction.SAVE)),
        ]
    )
    if _catalogue_url:
        rows.append(
            [InlineKeyboardButton(text=t("webapp-menu"), web_app=WebAppInfo(url=_catalogue_url))]
        )
    return InlineKeyboardMarkup(inline_keyboard=rows)


def search_choices(t: Translator, version: int, *, regions: bool) -> InlineKeyboardMarkup:
    """The categories (or regions) to narrow the results to, and back."""
    action = SearchAction.SET_REGION if regions else SearchAction.SET_CATEGORY
    values: Sequence[Category | Region] = list(Region) if regions else list(Category)
    prefix = "region" if regions else "category"
    buttons = [
        _button(t(f"{prefix}-{v.value}"), SearchCb(action=action, v=version, value=v.value))
        for v in values
    ]
    back = _button(t("search-back-button"), SearchCb(action=SearchAction.BACK, v=version))
    return InlineKeyboardMarkup(inline_keyboard=[*_pairs(buttons), [back]])


def swap_price(t: Translator, version: int, label: str) -> InlineKeyboardMarkup:
    button = _button(
        t("search-price-swap-button", range=label),
        SearchCb(action=SearchAction.SWAP_PRICE, v=version),
    )
    return InlineKeyboardMarkup(inline_keyboard=[[button]])


def saved_searches(t: Translator, searches: Sequence[SavedSearch]) -> InlineKeyboardMarkup | None:
    rows = [
        [
            _button(
                t("subs-delete-button", n=str(i), query=_short(s.query, 24)),
                SubsCb(action=SubsAction.DELETE, search_id=s.id),
            )
        ]
        for i, s in enumerate(searches, 1)
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def buyer_notice(t: Translator, search_id: int, link: str | None) -> InlineKeyboardMarkup:
    rows = []
    if link is not None:
        rows.append([InlineKeyboardButton(text=t("notice-open-button"), url=link)])
    off = SubsCb(action=SubsAction.OFF, search_id=search_id)
    rows.append([_button(t("notice-off-button"), off)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def ad_page(t: Translator, *, seller_username: str | None, link: str | None) -> Any:
    """Under an ad a buyer opened: write to the seller (when they have a username, the only
    way to open a chat with someone by link: https://core.telegram.org/api/links#public-username-links)
    and the channel post."""
    rows = []
    if seller_username:
        url = f"https://t.me/{seller_username}"
        rows.append([InlineKeyboardButton(text=t("ad-page-write-button"), url=url)])
    if link is not None:
        rows.append([InlineKeyboardButton(text=t("notice-open-button"), url=link)])
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def post_link(t: Translator, link: str | None) -> InlineKeyboardMarkup | None:
    if link is None:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=t("notice-open-button"), url=link)]]
    )


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
