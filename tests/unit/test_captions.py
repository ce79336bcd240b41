"""The caption: escaped, with hashtags, marks, and never over Telegram's 1024."""

from __future__ import annotations

import pytest

from tests.fake_telegram import parse_html
from vodiy_bozor.captions import (
    CAPTION_LIMIT,
    DESCRIPTION_LIMIT,
    DISTRICT_LIMIT,
    Mark,
    format_price,
    post_link,
    render_caption,
    utf16_len,
    visible_len,
)
from vodiy_bozor.models import AdContent, Category, Currency, Lang, Photo, Price, Region
from vodiy_bozor.texts import load_texts


def content(**changes: object) -> AdContent:
    base: dict[str, object] = {
        "category": Category.PHONES,
        "description": "iPhone 12, 128 GB <b>янги</b> & қутиси бор",
        "price": Price(12_500_000, Currency.UZS),
        "region": Region.FERGANA,
        "district": "Марғилон",
        "phone": "+998901234567",
        "photos": (Photo("f1", "u1"),),
    }
    base.update(changes)
    return AdContent(**base)  # type: ignore[arg-type]


def test_user_text_is_escaped_and_parses_as_telegram_html() -> None:
    caption = render_caption(load_texts(), content(), bot_username="vodiy_bot")
    assert "&lt;b&gt;янги&lt;/b&gt; &amp; қутиси" in caption
    text, _ = parse_html(caption)  # the fake's strict parser: raises on broken HTML
    assert "iPhone 12, 128 GB <b>янги</b> & қутиси бор" in text


def test_caption_holds_price_region_phone_hashtags_and_footer() -> None:
    caption = render_caption(load_texts(), content(), bot_username="vodiy_bot")
    text, _ = parse_html(caption)
    assert "12\u202f500\u202f000 сўм" in text
    assert "Фарғона, Марғилон" in text
    assert "+998 90 123 45 67" in text
    assert "#Телефон #Фарғона" in text
    assert "@vodiy_bot" in text


@pytest.mark.parametrize(
    ("price", "shown"),
    [
        (Price(500, Currency.USD), "500 $"),
        (Price(None), "келишилади"),
        (Price(1_200_000_000, Currency.UZS), "1\u202f200\u202f000\u202f000 сўм"),
    ],
)
def test_prices(price: Price, shown: str) -> None:
    assert format_price(load_texts(), Lang.UZ_CYRL, price) == shown


@pytest.mark.parametrize(
    ("lang", "shown"), [(Lang.UZ_CYRL, "бепул"), (Lang.UZ_LATN, "bepul"), (Lang.RU, "бесплатно")]
)
def test_a_thing_given_away_is_shown_free_not_as_zero_sum(lang: Lang, shown: str) -> None:
    """The reader takes `бепул` / `бесплатно` as a price of 0; "0 сўм" would read as a typo."""
    for currency in Currency:
        assert format_price(load_texts(), lang, Price(0, currency)) == shown
    caption = render_caption(load_texts(), content(price=Price(0)), bot_username=None)
    assert "бепул" in caption
    assert " 0 " not in caption


@pytest.mark.parametrize("mark", list(Mark))
def test_marks_go_on_top(mark: Mark) -> None:
    caption = render_caption(load_texts(), content(), bot_username=None, mark=mark)
    first_line = caption.splitlines()[0]
    assert first_line == load_texts().get(Lang.UZ_CYRL, mark.value)


def test_longest_possible_ad_fits_without_cutting() -> None:
    # 800 characters of description (the dialog's limit), the longest district, the largest
    # price, the longest category and region labels, a 32-character bot name and a mark.
    worst = content(
        description="Ж" * DESCRIPTION_LIMIT,
        district="Д" * DISTRICT_LIMIT,
        price=Price(100_000_000_000, Currency.UZS),
        category=Category.LIVESTOCK,
        region=Region.OTHER,
    )
    caption = render_caption(load_texts(), worst, bot_username="b" * 32, mark=Mark.REMOVED)
    assert visible_len(caption) <= CAPTION_LIMIT
    assert "Ж" * DESCRIPTION_LIMIT in caption


@pytest.mark.parametrize("lang", list(Lang))
@pytest.mark.parametrize("mark", [None, *Mark])
def test_the_longest_channel_post_with_its_seller_link_fits_without_cutting(
    lang: Lang, mark: Mark | None
) -> None:
    worst = content(
        description="Ж" * DESCRIPTION_LIMIT,
        district="Д" * DISTRICT_LIMIT,
        price=Price(100_000_000_000, Currency.UZS),
        category=Category.LIVESTOCK,
        region=Region.OTHER,
    )
    caption = render_caption(
        load_texts(), worst, bot_username="b" * 32, mark=mark, lang=lang, ad_id=2**62
    )
    assert visible_len(caption) <= CAPTION_LIMIT
    assert "Ж" * DESCRIPTION_LIMIT in caption
    text, entities = parse_html(caption)
    links = [e["url"] for e in entities if e["type"] == "text_link"]
    assert links == [f"https://t.me/{'b' * 32}?start=ad_{2**62}"]
    assert utf16_len(text) == visible_len(caption)


def test_an_oversized_description_is_shortened_not_refused() -> None:
    huge = content(description="🐄" * 2000)
    caption = render_caption(load_texts(), huge, bot_username="vodiy_bot")
    assert visible_len(caption) <= CAPTION_LIMIT
    assert "…" in caption
    parse_html(caption)


def test_utf16_counts_emoji_twice() -> None:
    assert utf16_len("ab") == 2
    assert utf16_len("🐄") == 2
    assert utf16_len("ў") == 1


def test_post_links() -> None:
    assert post_link("@vodiy_bozor", -1001234567890, 15) == "https://t.me/vodiy_bozor/15"
    assert post_link(-1001234567890, -1001234567890, 15) == "https://t.me/c/1234567890/15"


@pytest.mark.parametrize("district", ["Андижон", "Andijon", "Андижан"])
def test_a_regions_own_city_is_named_once(district: str) -> None:
    caption = render_caption(
        load_texts(),
        content(region=Region.ANDIJAN, district=district),
        bot_username=None,
    )
    place_line = next(line for line in caption.splitlines() if "Андижон" in line)
    assert place_line.count("Андижон") == 1, place_line
    assert district == "Андижон" or district not in place_line
    assert "Марғилон" in render_caption(load_texts(), content(), bot_username=None)
