"""The catalogue's HTTP side: the page, its JSON API and the archived photos, on aiohttp.

Routes, under the path of WEBAPP_URL (`prefix`):

- `GET /` the page (static files shipped in this package; no build step, no CDN);
- `GET /api/me`, `/api/ads`, `/api/ads/{id}`, `POST /api/ads/{id}/phone`,
  `GET /api/favourites`, `PUT|DELETE /api/favourites/{id}`, `POST /api/saved-searches`:
  every one needs `Authorization: tma <init data>` (see `auth.py`), else 401 and no data;
  each buyer has a request budget (429 with Retry-After past it);
- `GET /photos/…` and `/thumbs/…`: archived photos by content-addressed URLs (the photo's
  `file_unique_id`, the same for the same file everywhere), cached for a year. Only photos of
  ads a buyer may see; nothing is fetched from Telegram per view.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import Any, Final, TypeVar

from aiohttp import web

from vodiy_bozor.captions import format_price, summary
from vodiy_bozor.delivery.photo_store import PhotoNotFound, PhotoStore, PhotoStoreError
from vodiy_bozor.models import (
    MAX_SAVED_SEARCHES,
    AdStatus,
    After,
    CardPhoto,
    Category,
    Favourite,
    Lang,
    Price,
    PriceRange,
    Region,
    SearchFilters,
    SearchHit,
)
from vodiy_bozor.services.buyers import Buyers
from vodiy_bozor.text.fold import query_terms
from vodiy_bozor.text.phone import format_phone
from vodiy_bozor.text.price import PriceError, parse_price
from vodiy_bozor.texts import TASHKENT, Texts
from vodiy_bozor.webapp.auth import Buyer, NotAuthorised, buyer_from_header

log = logging.getLogger(__name__)

PAGE_SIZE: Final = 20
QUERY_LIMIT: Final = 200  # characters, as the bot's /search
PRICE_TEXT_LIMIT: Final = 40
# A buyer's request budget: a burst of BURST, refilled at RATE a second. Scrolling a grid
# makes a request a page; a person tapping fast makes a few a second.
RATE: Final = 5.0
BURST: Final = 30.0
MAX_TRACKED_BUYERS: Final = 50_000
LANG_TTL: Final = 60.0
# Content-addressed: a URL's bytes never change, so browsers and proxies may keep them.
PHOTO_CACHE: Final = "public, max-age=31536000, immutable"
# Only our own files and Telegram's script run; the API is our own. Telegram Web shows Mini
# Apps in a frame, so framing stays allowed.
PAGE_POLICY: Final = (
    "default-src 'self'; script-src 'self' https://telegram.org; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'none'"
)
_STATIC: Final = {
    "app.js": "text/javascript",
    "app.css": "text/css",
}
_UNIQUE_ID: Final = re.compile(r"[A-Za-z0-9_-]{1,64}")
# `e`/`t` (exact or typo tier), the publication time in µs, the id; `l…` before it: a lifted
# hit, with its lift's end.
_CURSOR: Final = re.compile(r"(?:l(\d{1,20}))?([et])(\d{1,20})\.(\d{1,19})")
_FAV_CURSOR: Final = re.compile(r"(\d{1,20})\.(\d{1,19})")


class Budget:
    """Per-buyer token buckets, kept for the most recent MAX_TRACKED_BUYERS buyers."""

    def __init__(self, rate: float = RATE, burst: float = BURST) -> None:
        self._rate = rate
        self._burst = burst
        self._buckets: OrderedDict[int, tuple[float, float]] = OrderedDict()

    def take(self, buyer_id: int, now: float | None = None) -> float:
        """0 when the request may go ahead; else the seconds until it could."""
        moment = time.monotonic() if now is None else now
        tokens, seen = self._buckets.pop(buyer_id, (self._burst, moment))
        tokens = min(self._burst, tokens + (moment - seen) * self._rate)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / self._rate
        self._buckets[buyer_id] = (tokens, moment)
        if len(self._buckets) > MAX_TRACKED_BUYERS:
            self._buckets.popitem(last=False)
        return wait


@dataclass(frozen=True, slots=True)
class _Ask:
    """A request that passed the checks: who asks, in which language."""

    buyer: Buyer
    lang: Lang


Handler = Callable[[web.Request, _Ask], Awaitable[web.StreamResponse]]
Route = Callable[[web.Request], Awaitable[web.StreamResponse]]


class BadInput(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class Catalogue:
    """The catalogue's routes, added to any aiohttp application under a prefix."""

    def __init__(
        self,
        buyers: Buyers,
        texts: Texts,
        photos: PhotoStore,
        token: str,
        *,
        budget: Budget | None = None,
    ) -> None:
        self._buyers = buyers
        self._texts = texts
        self._photos = photos
        self._token = token
        self._budget = budget or Budget()
        self._page = self._render_page()
        self._langs: dict[int, tuple[Lang, float]] = {}

    def add_routes(self, app: web.Application, prefix: str) -> None:
        r = app.router
        if prefix:
            r.add_get(prefix, self._to_slash)
        r.add_get(prefix + "/", self._index)
        r.add_get(prefix + "/static/{name}", self._static)
        r.add_get(prefix + "/photos/{ad:\\d{1,18}}/{pos:\\d}/{uid}.jpg", self._photo)
        r.add_get(prefix + "/thumbs/{ad:\\d{1,18}}/{pos:\\d}/{uid}.jpg", self._thumb)
        api = prefix + "/api"
        r.add_get(api + "/me", self._authorised(self._me))
        r.add_get(api + "/ads", self._authorised(self._list))
        r.add_get(api + "/ads/{ad:\\d{1,18}}", self._authorised(self._ad))
        r.add_post(api + "/ads/{ad:\\d{1,18}}/phone", self._authorised(self._phone))
        r.add_get(api + "/favourites", self._authorised(self._favourites))
        r.add_put(api + "/favourites/{ad:\\d{1,18}}", self._authorised(self._keep))
        r.add_delete(api + "/favourites/{ad:\\d{1,18}}", self._authorised(self._unkeep))
        r.add_post(api + "/saved-searches", self._authorised(self._save_search))

    # -- the page --------------------------------------------------------------------------

    def _render_page(self) -> bytes:
        """The page with every language's texts in it (a few KB), so it can speak before
        any request returns (and explain a refusal), and the static files' digests in their
        URLs, so they can be cached for long."""
        t = self._texts
        texts: dict[str, Any] = {}
        for lang in Lang:
            texts[lang.value] = {
                key.removeprefix("webapp-"): t.get(lang, key)
                for key in sorted(t.message_ids(lang))
                if key.startswith("webapp-")
            }
        texts["categories"] = {
            lang.value: [[c.value, t.get(lang, f"category-{c.value}")] for c in Category]
            for lang in Lang
        }
        texts["regions"] = {
            lang.value: [[r.value, t.get(lang, f"region-{r.value}")] for r in Region]
            for lang in Lang
        }
        # Inside <script>, "</" would end the element: JSON may write "<" as \u003c.
        blob = json.dumps(texts, ensure_ascii=False).replace("<", "\\u003c")
        page = _read_static("index.html").decode()
        page = page.replace("{{texts}}", blob)
        for name, marker in (("app.js", "{{js}}"), ("app.css", "{{css}}")):
            page = page.replace(marker, hashlib.sha256(_read_static(name)).hexdigest()[:16])
        return page.encode()

    async def _to_slash(self, request: web.Request) -> web.Response:
        # The page's URLs are relative, so it must be loaded from the folder's address. (The
        # browser keeps the #fragment, where Telegram puts the launch parameters.)
        raise web.HTTPPermanentRedirect(request.rel_url.with_path(request.path + "/"))

    async def _index(self, request: web.Request) -> web.Response:
        # Never cached: it names the static files' versions.
        return web.Response(
            body=self._page,
            content_type="text/html",
            charset="utf-8",
            headers={
                "Cache-Control": "no-cache",
                "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": PAGE_POLICY,
                "Referrer-Policy": "no-referrer",
            },
        )

    async def _static(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        content_type = _STATIC.get(name)
        if content_type is None:
            raise web.HTTPNotFound()
        # The page asks for them with `?v=<digest>`: a new release is a new URL.
        return web.Response(
            body=_read_static(name),
            content_type=content_type,
            charset="utf-8",
            headers={"Cache-Control": PHOTO_CACHE, "X-Content-Type-Options": "nosniff"},
        )

    async def _photo(self, request: web.Request) -> web.StreamResponse:
        return await self._serve_photo(request, thumb=False)

    async def _thumb(self, request: web.Request) -> web.StreamResponse:
        return await self._serve_photo(request, thumb=True)

    async def _serve_photo(self, request: web.Request, *, thumb: bool) -> web.StreamResponse:
        uid = request.match_info["uid"]
        if not _UNIQUE_ID.fullmatch(uid):
            raise web.HTTPNotFound()
        photo = await self._buyers.catalogue_photo(
            int(request.match_info["ad"]), int(request.match_info["pos"]), uid
        )
        key = None if photo is None else (photo.thumb_key if thumb else photo.storage_key)
        if key is None:
            raise web.HTTPNotFound()
        try:
            data = await self._photos.get(key)
        except PhotoNotFound:
            raise web.HTTPNotFound() from None
        except PhotoStoreError as exc:
            log.warning("catalogue: photo %s unavailable: %s", key, exc)
            raise web.HTTPServiceUnavailable(headers={"Retry-After": "5"}) from None
        content_type = "image/webp" if key.endswith(".webp") else "image/jpeg"
        return web.Response(
            body=data, content_type=content_type, headers={"Cache-Control": PHOTO_CACHE}
        )

    # -- identity --------------------------------------------------------------------------

    def _authorised(self, handler: Handler) -> Route:
        async def checked(request: web.Request) -> web.StreamResponse:
            try:
                buyer = buyer_from_header(request.headers.get("Authorization"), self._token)
            except NotAuthorised as exc:
                log.info("catalogue: refused a request: %s", exc)
                return _json({"error": "unauthorised"}, status=401)
            wait = self._budget.take(buyer.id)
            if wait > 0:
                return _json(
                    {"error": "too_many"},
                    status=429,
                    headers={"Retry-After": str(max(1, round(wait + 0.5)))},
                )
            # The page asks api/me each time it opens: the language is read afresh then.
            lang = await self._lang(buyer, fresh=handler == self._me)
            try:
                return await handler(request, _Ask(buyer, lang))
            except BadInput as exc:
                return _json(
                    {"error": "bad_input", "message": self._texts.get(lang, exc.key)}, status=400
                )

        return checked

    async def _lang(self, buyer: Buyer, *, fresh: bool = False) -> Lang:
        """The language the buyer chose in the bot, else the one Telegram reports. Kept for
        LANG_TTL seconds (unless `fresh`): a page makes a request per scroll, /lang is rare."""
        now = time.monotonic()
        cached = self._langs.get(buyer.id)
        if cached is not None and cached[1] > now and not fresh:
            return cached[0]
        lang = await self._buyers.lang(buyer.id, buyer.language_code)
        if len(self._langs) >= MAX_TRACKED_BUYERS:
            self._langs.clear()
        self._langs[buyer.id] = (lang, now + LANG_TTL)
        return lang

    # -- the API ---------------------------------------------------------------------------

    async def _me(self, request: web.Request, ask: _Ask) -> web.Response:
        return _json(
            {"id": ask.buyer.id, "lang": ask.lang.value, "max_saved_searches": MAX_SAVED_SEARCHES}
        )

    async def _list(self, request: web.Request, ask: _Ask) -> web.Response:
        query = request.query
        terms = query_terms(query.get("q", "")[:QUERY_LIMIT])
        filters = _filters(query)
        after = _after(query.get("cursor", ""))
        found = await self._buyers.catalogue_page(
            ask.buyer.id, terms, filters, size=PAGE_SIZE, after=after
        )
        page, more, photos, kept = found.hits, found.more, found.photos, found.kept
        now = datetime.now(UTC)
        items = [
            self._card(
                ask.lang,
                h,
                photo=photos.get(h.ad_id),
                favourite=h.ad_id in kept,
                sold=False,
                now=now,
                lifted=h.lifted,
            )
            for h in page
        ]
        cursor = None
        if more and page:
            last = page[-1]
            lifted = f"l{_micros(last.lifted_until)}" if last.lifted_until else ""
            tier = "e" if last.exact else "t"
            cursor = f"{lifted}{tier}{_micros(last.published_at)}.{last.ad_id}"
        return _json({"items": items, "next": cursor})

    async def _ad(self, request: web.Request, ask: _Ask) -> web.Response:
        ad_id = int(request.match_info["ad"])
        ad = await self._buyers.catalogue_ad(ad_id, ask.buyer.id)
        if ad is None:
            return self._gone(ask)
        lang = ask.lang
        return _json(
            {
                "id": ad.id,
                "sold": ad.status is AdStatus.SOLD,
                "description": ad.description,
                "price": format_price(self._texts, lang, ad.price),
                "category": self._texts.get(lang, f"category-{ad.category.value}"),
                "place": self._place(lang, ad.region, ad.district),
                "published": ad.published_at.astimezone(TASHKENT).strftime("%d.%m.%Y"),
                "photos": [
                    _photo_url("photos", ad.id, pos, p.file_unique_id)
                    for pos, p in ad.photos
                    if p.storage_key is not None
                ],
                "seller": ad.seller_username,
                "favourite": ad.favourite,
            }
        )

    async def _phone(self, request: web.Request, ask: _Ask) -> web.Response:
        ad_id = int(request.match_info["ad"])
        phone = await self._buyers.phone(ad_id, ask.buyer.id)
        if phone is None:
            return self._gone(ask)
        return _json({"phone": format_phone(phone), "tel": phone})

    async def _favourites(self, request: web.Request, ask: _Ask) -> web.Response:
        after = _fav_after(request.query.get("cursor", ""))
        page, more = await self._buyers.favourites(ask.buyer.id, size=PAGE_SIZE, after=after)
        now = datetime.now(UTC)
        items = [
            self._card(
                ask.lang,
                f,
                photo=f.photo,
                favourite=True,
                sold=f.status is AdStatus.SOLD,
                now=now,
            )
            for f in page
        ]
        cursor = f"{_micros(page[-1].kept_at)}.{page[-1].ad_id}" if more and page else None
        return _json({"items": items, "next": cursor})

    async def _keep(self, request: web.Request, ask: _Ask) -> web.Response:
        ad_id = int(request.match_info["ad"])
        if not await self._buyers.keep(ask.buyer.id, ad_id):
            return self._gone(ask)
        return _json({"favourite": True})

    async def _unkeep(self, request: web.Request, ask: _Ask) -> web.Response:
        await self._buyers.unkeep(ask.buyer.id, int(request.match_info["ad"]))
        return _json({"favourite": False})

    async def _save_search(self, request: web.Request, ask: _Ask) -> web.Response:
        try:
            body = await request.json()
        except (ValueError, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict):
            return _json({"error": "bad_request"}, status=400)
        fields = {k: v for k, v in body.items() if isinstance(v, str)}
        text = fields.get("q", "")[:QUERY_LIMIT].strip()
        saved = await self._buyers.save_search(ask.buyer.id, text, _filters(fields))
        if saved is None:
            return _json(
                {"error": "limit", "message": self._texts.get(ask.lang, "webapp-search-limit")},
                status=409,
            )
        return _json(
            {"id": saved, "message": self._texts.get(ask.lang, "webapp-search-saved")}, status=201
        )

    # -- rendering -------------------------------------------------------------------------

    def _gone(self, ask: _Ask) -> web.Response:
        return _json({"error": "gone", "message": self._texts.get(ask.lang, "webapp-gone")}, 404)

    def _place(self, lang: Lang, region: Region, district: str | None) -> str:
        place = self._texts.get(lang, f"region-{region.value}")
        return f"{place}, {district}" if district else place

    def _card(
        self,
        lang: Lang,
        ad: SearchHit | Favourite,
        *,
        photo: CardPhoto | None,
        favourite: bool,
        sold: bool,
        now: datetime,
        lifted: bool = False,
    ) -> dict[str, Any]:
        """A tile of the grid: a search hit, or a favourite."""
        thumb = None
        if photo is not None:
            if photo.thumb_key is not None:
                thumb = _photo_url("thumbs", ad.ad_id, 0, photo.file_unique_id)
            elif photo.storage_key is not None:
                thumb = _photo_url("photos", ad.ad_id, 0, photo.file_unique_id)
        return {
            "id": ad.ad_id,
            "title": summary(ad.description, 80),
            "price": format_price(self._texts, lang, ad.price),
            "place": self._place(lang, ad.region, ad.district),
            "age": self._age(lang, ad.published_at, now),
            "thumb": thumb,
            "favourite": favourite,
            "sold": sold,
            "lifted": lifted,  # a paid lift: first in the list, marked 🚀
        }

    def _age(self, lang: Lang, moment: datetime, now: datetime) -> str:
        minutes = int((now - moment).total_seconds() // 60)
        if minutes < 1:
            return self._texts.get(lang, "age-now")
        if minutes < 60:
            return self._texts.get(lang, "age-minutes", n=minutes)
        if minutes < 24 * 60:
            return self._texts.get(lang, "age-hours", n=minutes // 60)
        return self._texts.get(lang, "age-days", n=minutes // (24 * 60))


def _read_static(name: str) -> bytes:
    return resources.files(__package__).joinpath("static", name).read_bytes()


def _json(
    body: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    # Answers are per buyer: never kept by a shared cache.
    return web.Response(
        text=json.dumps(body, ensure_ascii=False),
        status=status,
        content_type="application/json",
        headers={"Cache-Control": "private, no-store", **(headers or {})},
    )


def _photo_url(kind: str, ad_id: int, position: int, uid: str) -> str:
    # Relative to the page, which is served at the prefix's folder.
    return f"{kind}/{ad_id}/{position}/{uid}.jpg"


def _micros(moment: datetime) -> int:
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _from_micros(value: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=value)


def _after(cursor: str) -> After | None:
    """The keyset cursor of the list (`e|t<µs>.<id>`); anything else starts from the top."""
    found = _CURSOR.fullmatch(cursor)
    if found is None:
        return None
    try:
        lifted = _from_micros(int(found[1])) if found[1] else None
        return After(found[2] == "e", _from_micros(int(found[3])), int(found[4]), lifted)
    except OverflowError:
        return None


def _fav_after(cursor: str) -> tuple[datetime, int] | None:
    found = _FAV_CURSOR.fullmatch(cursor)
    if found is None:
        return None
    try:
        return _from_micros(int(found[1])), int(found[2])
    except OverflowError:
        return None


def _filters(fields: Any) -> SearchFilters:
    """The filters of a request; unknown codes are ignored, unreadable prices are BadInput."""
    category = _enum(Category, fields.get("category"))
    region = _enum(Region, fields.get("region"))
    low = _price(fields.get("price_min"))
    high = _price(fields.get("price_max"))
    price = None
    if low is not None or high is not None:
        currencies = {p.currency for p in (low, high) if p is not None}
        if len(currencies) > 1:
            raise BadInput("webapp-price-currency")
        (currency,) = currencies
        minimum = low.amount if low is not None else None
        maximum = high.amount if high is not None else None
        if minimum is not None and maximum is not None and minimum > maximum:
            raise BadInput("webapp-price-upside-down")
        price = PriceRange(minimum, maximum, currency)
    return SearchFilters(category=category, region=region, price=price)


_E = TypeVar("_E", Category, Region)


def _enum(kind: type[_E], value: object) -> _E | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return kind(value)
    except ValueError:
        return None


def _price(value: object) -> Price | None:
    """A price bound typed the way sellers type prices (`1,5 млн`, `500$`, `300 минг`)."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        price = parse_price(value[:PRICE_TEXT_LIMIT])
    except PriceError:
        raise BadInput("webapp-price-unreadable") from None
    if price.amount is None:  # "negotiable" is not a bound
        raise BadInput("webapp-price-unreadable")
    return price


__all__ = ["Budget", "Catalogue"]
