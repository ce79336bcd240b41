"""`vodiy-bozor assistant eval DIR`, `vodiy-bozor assistant read FILE` and
`vodiy-bozor assistant`: how good are the hints, and what does the reader read?

`eval DIR` reads `DIR/ads.jsonl`, one ad per line in submission order:

    {"id": "a17", "seller": 501, "seller_age_days": 30, "days_ago": 4, "category": "phones",
     "description": "…", "price": "3,5 млн", "phone": "+998901234567", "region": "fergana",
     "photos": ["photos/a17-1.jpg"],
     "labels": {"duplicate_of": "a03", "scam": false, "category": "phones"}}

(`category` and `region` are codes of models.py, `price` and `phone` as the seller typed
them, photo paths relative to DIR; an optional `labels.price_off` scores the price check). It
replays them into a fresh database, one at a time: each ad is inserted as if submitted
`days_ago` days ago by a seller first seen `seller_age_days` before that, its photos hashed
(the file's bytes stand in for Telegram's file_unique_id), and its hints computed from what
the database holds at that moment. Then the decision its labels describe is applied, as the
admins would have made it before the next ad arrived: a duplicate or a scam is rejected,
anything else published in its true category (a category change logged when the seller's
choice was wrong). It prints precision and recall per signal, and last a JSON object.

A duplicate counts as found when the ad named is in the labelled ad's chain of duplicates
(a repeat of a repeat may name either); "scam high" is the level HIGH against `labels.scam`,
"scam shown" the 🤖 line (medium or high); "category" is the top-1 suggestion against the true
category, "category line" the 📂 line against a wrong choice by the seller.

`read FILE` reads JSON lines `{"id": …, "text": …}` (an ad written as one message) and writes
one JSON line per ad to stdout: `{"id", "category", "price", "region", "district", "phone"}`,
where `category` is a `models.Category` code (`other` when no word says which), `price` is
`{"amount": <int whole units>, "currency": "UZS" | "USD"}`, `"negotiable"` or null, `region` a
`models.Region` code or null, `district` the place's Latin name (`Margilon`) or null, and
`phone` `998XXXXXXXXX` or null. A line that is not such an object gets `{"id": …, "error": …}`.

Without arguments it scores the hints stored for the ads the admins decided in the last 90
days against those decisions (a duplicate: rejected as a duplicate; a scam: rejected for
another reason or its owner banned; a category line: an admin changed the category).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from vodiy_bozor.assistant.hints import AdHints, compute_hints, hash_photo
from vodiy_bozor.assistant.photo_hash import NotAnImage
from vodiy_bozor.assistant.reader import AdReading, read_ad
from vodiy_bozor.assistant.scam import Level
from vodiy_bozor.db import Conn, admin_actions
from vodiy_bozor.db import assistant as sql
from vodiy_bozor.db import evaluation as sql_eval
from vodiy_bozor.db.embedded import EmbeddedPostgres
from vodiy_bozor.db.migrate import migrate
from vodiy_bozor.db.pool import connect
from vodiy_bozor.models import AdStatus, Category, Currency, Price, Region
from vodiy_bozor.text.phone import PhoneError, parse_phone
from vodiy_bozor.text.price import PriceError, parse_price

log = logging.getLogger(__name__)

_ADMIN = 1  # the simulated moderator's id
REPORT_WINDOW = timedelta(days=90)


@dataclass
class Score:
    """Counts for one yes/no signal."""

    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    def add(self, predicted: bool, actual: bool) -> None:
        if predicted and actual:
            self.true_positive += 1
        elif predicted:
            self.false_positive += 1
        elif actual:
            self.false_negative += 1

    @property
    def precision(self) -> float:
        flagged = self.true_positive + self.false_positive
        return self.true_positive / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_positive + self.false_negative
        return self.true_positive / actual if actual else 1.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "tp": self.true_positive,
            "fp": self.false_positive,
            "fn": self.false_negative,
        }


@dataclass
class Results:
    duplicates: Score = field(default_factory=Score)
    scam_high: Score = field(default_factory=Score)
    scam_shown: Score = field(default_factory=Score)  # medium or high: the 🤖 line
    category_line: Score = field(default_factory=Score)  # 📂: the seller's choice is wrong
    price: Score = field(default_factory=Score)
    category_right: int = 0
    seller_right: int = 0
    category_ads: int = 0  # ads whose true category is known
    ads: int = 0
    price_labelled: bool = False

    def lines(self) -> list[str]:
        def line(name: str, score: Score) -> str:
            return (
                f"{name:<14} precision {score.precision:.3f}  recall {score.recall:.3f}  "
                f"(tp {score.true_positive}, fp {score.false_positive}, "
                f"fn {score.false_negative})"
            )

        out = [
            line("duplicates", self.duplicates),
            line("scam high", self.scam_high),
            line("scam shown", self.scam_shown),
            line("category line", self.category_line),
            f"{'category':<14} top-1 {self.top1:.3f}  (seller's own choice {self.seller_top1:.3f},"
            f" {self.category_ads} ads)",
        ]
        if self.price_labelled:
            out.append(line("price", self.price))
        return out

    @property
    def top1(self) -> float:
        return self.category_right / self.category_ads if self.category_ads else 1.0

    @property
    def seller_top1(self) -> float:
        return self.seller_right / self.category_ads if self.category_ads else 1.0

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "duplicates": self.duplicates.as_dict(),
            "category": {"top1": round(self.top1, 4), "seller_top1": round(self.seller_top1, 4)},
            "category_line": self.category_line.as_dict(),
            "scam_high": self.scam_high.as_dict(),
            "scam_shown": self.scam_shown.as_dict(),
            "ads": self.ads,
        }
        if self.price_labelled:
            out["price"] = self.price.as_dict()
        return out


# -- the set ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EvalAd:
    id: str
    seller: int
    seller_age_days: float
    days_ago: float
    category: Category
    description: str
    price: str
    phone: str
    region: Region
    photos: tuple[Path, ...]
    duplicate_of: str | None
    scam: bool
    true_category: Category
    price_off: bool | None


def _category(value: object) -> Category:
    try:
        return Category(str(value))
    except ValueError:
        return Category.OTHER


def read_set(directory: Path) -> list[EvalAd]:
    ads: list[EvalAd] = []
    with (directory / "ads.jsonl").open(encoding="utf-8") as f:
        for raw in f:
            if not raw.strip():
                continue
            item = json.loads(raw)
            labels = item.get("labels") or {}
            try:
                region = Region(item.get("region") or "other")
            except ValueError:
                region = Region.OTHER
            ads.append(
                EvalAd(
                    id=str(item["id"]),
                    seller=int(item["seller"]),
                    seller_age_days=float(item.get("seller_age_days") or 0),
                    days_ago=float(item.get("days_ago") or 0),
                    category=_category(item.get("category")),
                    description=str(item.get("description") or ""),
                    price=str(item.get("price") or ""),
                    phone=str(item.get("phone") or ""),
                    region=region,
                    photos=tuple(directory / p for p in item.get("photos") or ()),
                    duplicate_of=labels.get("duplicate_of"),
                    scam=bool(labels.get("scam")),
                    true_category=_category(labels.get("category") or item.get("category")),
                    price_off=labels.get("price_off"),
                )
            )
    return ads


def _price(text: str) -> Price:
    try:
        return parse_price(text)
    except PriceError:
        return Price.negotiable_price()


def _phone(text: str) -> str:
    try:
        return parse_phone(text)
    except PhoneError:
        return text.strip() or "unknown"


# -- replaying ----------------------------------------------------------------------------------


async def _insert(conn: Conn, ad: EvalAd, created_at: datetime, index: int) -> int:
    first_seen = created_at - timedelta(days=ad.seller_age_days)
    await sql_eval.add_seller(conn, ad.seller, f"seller {ad.seller}", first_seen, created_at)
    price = _price(ad.price)
    ad_id = await sql_eval.add_ad(
        conn,
        owner_id=ad.seller,
        category=ad.category.value,
        description=ad.description,
        price_amount=price.amount,
        price_currency=(price.currency if price.amount is not None else Currency.UZS).value,
        region=ad.region.value,
        phone=_phone(ad.phone),
        created_at=created_at,
    )
    for position, path in enumerate(ad.photos[:10]):
        try:
            data = path.read_bytes()
        except OSError:
            log.warning("%s: photo %s cannot be read; left out", ad.id, path)
            continue
        # Telegram gives the very same file the same file_unique_id; the bytes stand in for it.
        unique_id = hashlib.sha1(data, usedforsecurity=False).hexdigest()[:16]
        await sql_eval.add_photo(conn, ad_id, position, f"eval-{ad.id}-{position}", unique_id)
        try:
            photo = hash_photo(data)
        except NotAnImage:  # compared by file only
            log.warning("%s: photo %s is not a readable image", ad.id, path)
            continue
        await sql.set_photo_hash(conn, ad_id, position, photo.value, photo.bands)
    return ad_id


async def _moderate(conn: Conn, ad: EvalAd, ad_id: int, decided_at: datetime) -> None:
    """What the admins decided, as the labels say."""
    if ad.duplicate_of is not None or ad.scam:
        code = "duplicate" if ad.duplicate_of is not None else "scam"
        await sql_eval.rejected(conn, ad_id, at=decided_at, admin_id=_ADMIN, code=code)
        await admin_actions.record_action(
            conn, ad_id=ad_id, admin_id=_ADMIN, action="reject", detail=code, at=decided_at
        )
        return
    if ad.true_category is not ad.category:
        await admin_actions.record_action(
            conn,
            ad_id=ad_id,
            admin_id=_ADMIN,
            action="category",
            detail=ad.true_category.value,
            at=decided_at,
        )
    await sql_eval.published(
        conn, ad_id, category=ad.true_category.value, at=decided_at, admin_id=_ADMIN
    )
    await admin_actions.record_action(
        conn, ad_id=ad_id, admin_id=_ADMIN, action="approve", at=decided_at
    )


def _score(
    results: Results, ad: EvalAd, hints: AdHints, by_db_id: dict[int, str], root: dict[str, str]
) -> None:
    predicted = by_db_id.get(hints.duplicate.candidate.id) if hints.duplicate else None
    if predicted is not None or ad.duplicate_of is not None:
        correct = (
            predicted is not None
            and ad.duplicate_of is not None
            and root.get(predicted, predicted) == root.get(ad.duplicate_of, ad.duplicate_of)
        )
        if correct:
            results.duplicates.true_positive += 1
        else:
            if predicted is not None:
                results.duplicates.false_positive += 1
            if ad.duplicate_of is not None:
                results.duplicates.false_negative += 1
    results.scam_high.add(hints.scam.level is Level.HIGH, ad.scam)
    results.scam_shown.add(hints.scam.shown, ad.scam)
    results.category_line.add(hints.category.shown, ad.category is not ad.true_category)
    results.ads += 1
    results.category_ads += 1
    results.category_right += hints.category.category is ad.true_category
    results.seller_right += ad.category is ad.true_category
    if ad.price_off is not None:
        results.price_labelled = True
        results.price.add(hints.price is not None, bool(ad.price_off))


async def replay(conn: Conn, ads: Sequence[EvalAd], *, verbose: bool = False) -> Results:
    results = Results()
    now = datetime.now(UTC)
    by_db_id: dict[int, str] = {}
    root: dict[str, str] = {}  # an ad's duplicate cluster: the first ad of the chain
    for index, ad in enumerate(ads):
        # Seconds keep the file's order among ads of the same day.
        created_at = now - timedelta(days=ad.days_ago) + timedelta(seconds=index)
        ad_id = await _insert(conn, ad, created_at, index)
        by_db_id[ad_id] = ad.id
        if ad.duplicate_of is not None:
            root[ad.id] = root.get(ad.duplicate_of, ad.duplicate_of)
        hints = await compute_hints(conn, ad_id)
        assert hints is not None
        _score(results, ad, hints, by_db_id, root)
        if verbose:
            _explain(ad, hints, by_db_id)
        await _moderate(conn, ad, ad_id, created_at + timedelta(minutes=30))
    return results


def _explain(ad: EvalAd, hints: AdHints, by_db_id: dict[int, str]) -> None:
    dup = hints.duplicate
    found = by_db_id.get(dup.candidate.id) if dup else None
    problems = []
    if found != ad.duplicate_of and (found or ad.duplicate_of):
        problems.append(
            f"dup {found} (photos {dup.same_photos}+{dup.similar_photos}, text "
            f"{dup.text_percent}%) want {ad.duplicate_of}"
            if dup
            else f"dup None want {ad.duplicate_of}"
        )
    if (hints.scam.level is Level.HIGH) != ad.scam or (hints.scam.shown and not ad.scam):
        problems.append(f"scam {hints.scam.level.code} {[r.value for r in hints.scam.reasons]}")
    if hints.category.category is not ad.true_category:
        problems.append(
            f"category {hints.category.category} ({hints.category.confidence:.2f}) want "
            f"{ad.true_category}"
        )
    if problems:
        print(ad.id, "|", "; ".join(problems), "|", ad.description[:90].replace("\n", " "))  # noqa: T201


# -- databases ----------------------------------------------------------------------------------


@asynccontextmanager
async def fresh_database() -> AsyncIterator[asyncpg.Connection[Any]]:
    """A new, migrated database: next to DATABASE_URL's when it is set (dropped afterwards),
    else on an embedded PostgreSQL in a temporary folder."""
    server = os.environ.get("DATABASE_URL")
    embedded: EmbeddedPostgres | None = None
    tmp: Path | None = None
    if not server:
        tmp = Path(tempfile.mkdtemp(prefix="vodiy-assistant-eval-"))
        embedded = EmbeddedPostgres(tmp)
        server = await embedded.start()
    name = f"vodiy_assistant_eval_{uuid.uuid4().hex[:10]}"
    await sql_eval.create_database(server, name)
    try:
        conn = await connect(urlunsplit(urlsplit(server)._replace(path="/" + name)))
        try:
            await migrate(conn)
            yield conn
        finally:
            await conn.close()
    finally:
        await sql_eval.drop_database(server, name)
        if embedded is not None:
            await embedded.stop()
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


async def evaluate(directory: Path, *, verbose: bool = False) -> Results:
    ads = read_set(directory)
    async with fresh_database() as conn:
        return await replay(conn, ads, verbose=verbose)


# -- scoring against the admins' real decisions ----------------------------------------------------


def score_decisions(decided: Sequence[sql.DecidedAd]) -> Results:
    results = Results()
    for ad in decided:
        hints = ad.hints
        rejected = ad.status is AdStatus.REJECTED
        dup_actual = rejected and ad.reject_code == "duplicate"
        results.duplicates.add(hints.duplicate_of is not None, dup_actual)
        scam_actual = ad.banned or (rejected and ad.reject_code not in (None, "duplicate"))
        results.scam_high.add(hints.scam_level == Level.HIGH.code, scam_actual)
        results.scam_shown.add(
            hints.scam_level in (Level.HIGH.code, Level.MEDIUM.code), scam_actual
        )
        results.category_line.add(hints.category_shown, ad.category_changed)
        results.ads += 1
        if not rejected:
            results.category_ads += 1
            results.category_right += hints.suggested_category is ad.category
            results.seller_right += not ad.category_changed
        results.price_labelled = True
        results.price.add(hints.price_off, rejected)
    return results


async def _report() -> int:
    from vodiy_bozor.app import open_database
    from vodiy_bozor.config import ConfigError, load_settings

    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"vodiy-bozor: configuration error: {exc}", file=sys.stderr)  # noqa: T201
        return 2
    async with open_database(settings) as pool:
        decided = await sql.decided_with_hints(pool, since=REPORT_WINDOW)
    results = score_decisions(decided)
    print(f"{len(decided)} ads decided in the last 90 days with hints")  # noqa: T201
    for text in results.lines():
        print(text)  # noqa: T201
    print(json.dumps(results.summary(), ensure_ascii=False))  # noqa: T201
    return 0


_USAGE = "usage: vodiy-bozor assistant [eval DIR [--verbose] | read FILE]"


def reading_json(reading: AdReading) -> dict[str, Any]:
    """The fields of `read FILE`'s output line (without the id)."""
    price: dict[str, Any] | str | None
    if reading.price is None:
        price = None
    elif reading.price.amount is None:
        price = "negotiable"
    else:
        price = {"amount": reading.price.amount, "currency": reading.price.currency.value}
    return {
        "category": (reading.category or Category.OTHER).value,
        "price": price,
        "region": reading.region.value if reading.region is not None else None,
        "district": reading.district,
        "phone": reading.phone.removeprefix("+") if reading.phone is not None else None,
    }


def read_lines(lines: Iterable[str], out: TextIO) -> int:
    """`read FILE`: one output line per input line that is not blank; returns how many."""
    count = 0
    for raw in lines:
        if not raw.strip():
            continue
        count += 1
        try:
            item = json.loads(raw)
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise ValueError("not an object with a text")
        except ValueError as error:
            out.write(json.dumps({"id": None, "error": str(error)[:200]}) + "\n")
            continue
        line = {"id": item.get("id"), **reading_json(read_ad(item["text"]))}
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return count


def _read_command(path: Path) -> int:
    try:
        with path.open(encoding="utf-8") as f:
            read_lines(f, sys.stdout)
    except OSError as error:
        print(f"vodiy-bozor: cannot read {path}: {error.strerror}", file=sys.stderr)  # noqa: T201
        return 2
    return 0


def main(argv: Sequence[str]) -> int:
    args = list(argv)
    if not args:
        return asyncio.run(_report())
    if args[0] == "read" and len(args) == 2:
        return _read_command(Path(args[1]))
    if args[0] != "eval" or len(args) < 2:
        print(_USAGE, file=sys.stderr)  # noqa: T201
        return 2
    directory = Path(args[1])
    if not (directory / "ads.jsonl").is_file():
        print(f"vodiy-bozor: no ads.jsonl in {directory}", file=sys.stderr)  # noqa: T201
        return 2
    results = asyncio.run(evaluate(directory, verbose="--verbose" in args[2:]))
    for text in results.lines():
        print(text)  # noqa: T201
    print(json.dumps(results.summary(), ensure_ascii=False))  # noqa: T201
    return 0
