"""Promotion settings, invoice payloads and buttons: what a seller may be offered."""

from __future__ import annotations

import pytest

from vodiy_bozor.bot import keyboards
from vodiy_bozor.bot.callbacks import PromoCb
from vodiy_bozor.config import ConfigError, Settings
from vodiy_bozor.models import Ad, AdContent, AdStatus, Category, Lang, Price, Region
from vodiy_bozor.services.promotions import (
    PromoKind,
    PromoSettings,
    invoice_payload,
    parse_payload,
)
from vodiy_bozor.texts import load_texts

BASE = {
    "API_TOKEN": "123456:AAHsecret-token-value_xyz",
    "CHANNEL_ID": "@vodiy_bozor",
    "ADMIN_IDS": "1",
}


def test_prices_are_off_unless_set_and_bounded() -> None:
    plain = Settings.from_env(BASE)
    assert (plain.lift_stars, plain.pin_stars, plain.lifts_per_hour) == (None, None, 3)
    priced = Settings.from_env({**BASE, "LIFT_STARS": "50", "LIFTS_PER_HOUR": "5"})
    assert (priced.lift_stars, priced.pin_stars, priced.lifts_per_hour) == (50, None, 5)
    for name, value in [
        ("LIFT_STARS", "0"),
        ("PIN_STARS", "12.5"),
        ("PIN_STARS", "100000"),
        ("LIFTS_PER_HOUR", "0"),
        ("LIFTS_PER_HOUR", "many"),
    ]:
        with pytest.raises(ConfigError, match=name):
            Settings.from_env({**BASE, name: value})


def test_payloads_round_trip_and_foreign_ones_are_not_ours() -> None:
    payload = invoice_payload(PromoKind.PIN, 123456789)
    assert len(payload.encode()) <= 128  # Telegram's limit on an invoice payload
    assert parse_payload(payload) == (PromoKind.PIN, 123456789)
    for foreign in ["", "promo1:lift", "promo1:boost:1", "promo2:lift:1", "promo1:lift:-1"]:
        assert parse_payload(foreign) is None


def _ad(ad_id: int, status: AdStatus) -> Ad:
    content = AdContent(Category.OTHER, "x", Price(1), Region.ANDIJAN, None, "+998901234567")
    return Ad(ad_id, 1, status, content, created_at=None)  # type: ignore[arg-type]


def test_only_published_ads_get_the_promotion_buttons_and_only_priced_kinds() -> None:
    t = load_texts().bind(Lang.UZ_LATN)
    ads = [_ad(1, AdStatus.PUBLISHED), _ad(2, AdStatus.SOLD), _ad(3, AdStatus.PENDING)]
    markup = keyboards.my_ads(t, ads, page=0, pages=1, promote=(PromoKind.LIFT,))
    assert markup is not None
    promo = [
        b.callback_data
        for row in markup.inline_keyboard
        for b in row
        if b.callback_data and b.callback_data.startswith("promo1")
    ]
    assert promo == [PromoCb(kind=PromoKind.LIFT, ad_id=1).pack()]
    assert keyboards.promote(t, 1, PromoSettings()) is None
    both = keyboards.promote(t, 2**62, PromoSettings(lift_stars=5, pin_stars=9))
    assert both is not None
    labels = [b.text for b in both.inline_keyboard[0]]
    assert labels == ["🚀 Koʻtarish · 5 ⭐", "📌 Qadash · 9 ⭐"]
    for button in both.inline_keyboard[0]:
        assert len((button.callback_data or "").encode()) <= 64


# The verb of a lift in each language: a refusal that may concern a pin must not use it.
LIFT_WORDS = {Lang.UZ_CYRL: "кўтар", Lang.UZ_LATN: "koʻtar", Lang.RU: "подня"}


@pytest.mark.parametrize("lang", list(Lang))
def test_refusals_that_may_concern_a_pin_do_not_speak_of_a_lift(lang: Lang) -> None:
    t = load_texts().bind(lang)
    said = [
        t("promo-refused-off"),
        t("promo-refused-status", status=t("status-sold")),
        t("promo-refused-banned"),
        t("promo-refund-published"),
    ]
    for text in said:
        assert LIFT_WORDS[lang] not in text.lower(), text
