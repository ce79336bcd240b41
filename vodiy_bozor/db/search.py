"""Buyers' search: finding live ads by folded words (saved searches are in `db.saved_searches`,
notice quotas and digests in `db.notices`, opens in `db.opens`).

Words arrive folded (vodiy_bozor.text.fold: lowercase ASCII `[a-z0-9]+`), so every tsquery
built here is made of plain quoted lexemes and can carry no operator a buyer typed. Matching:

- each query word matches an ad word it is a prefix of, after its ending is dropped
  (`telefonlar` → `telefon:*` finds `telefon`, `telefoni`); a stem of one or two letters
  matches whole words with the usual Uzbek endings (`uy` finds `uy`, `uylar`, `uyi`, not
  `uyali`); every word of the query must match (AND);
- the other vowel: a stem's `o` may be a `u` and the other way round (text.fold.vowel_variants:
  `туй` typed on a Russian keyboard for `тўй`), when the lexicon has words so spelled;
- typos: each query word of four letters or more also matches the lexicon words most similar
  to it by trigram similarity (`samsng` → `samsung`). Ads found only through the other vowel
  or a typo come after the exact ones (`стол` finds the tables first, then the chairs).

Results: lifted ads first (a seller paid for a 🚀 lift: for 24 hours it stands before every
other match, the latest lift first), then exact matches, then the typo-tolerant ones; within
each, the most recently published first. The order lives here, so every caller of this
engine (the bot's search, inline mode, the catalogue) inherits it. Only `published` ads: a
sold, removed or expired ad has another status and leaves the results in the same statement
that changes it.

A banned seller's ads are found by nothing while the ban lasts (db.bans.seller_not_banned).

How it stays fast at a million ads (bench/search.py measures it): the lexicon (search_words)
turns each stem into the exact words that begin with it, and tells at once when no ad has a
word (then only the typo tier runs); category, region and price band are lexemes of the ad's
tsvector, so filters join the same GIN lookup; each tier first looks among the newest ads and
only falls back to reading all its matches through GIN when they are rare (see RECENT_ROWS).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

import asyncpg

from vodiy_bozor.db import Conn, Executor, price_of
from vodiy_bozor.db.bans import seller_not_banned
from vodiy_bozor.models import (
    NO_FILTERS,
    After,
    Category,
    Region,
    SearchFilters,
    SearchHit,
)
from vodiy_bozor.text.fold import (
    SHORT_STEM,
    SHORT_WORD_ENDINGS,
    ad_document,
    stem,
    vowel_variants,
)
from vodiy_bozor.text.price import PRICE_BOUNDS

# Typo tolerance: lexicon words at least this similar to a query word (pg_trgm's similarity(),
# shared trigrams over all trigrams) count as that word, the best few of them.
# `samsng`/`samsung` is 0.5, `muzdlatgich`/`muzlatgich` 0.64, `telefon`/`televizor` 0.29.
TYPO_SIMILARITY: Final = 0.4
TYPO_WORDS: Final = 5
MIN_TYPO_WORD: Final = 4  # shorter words have too few trigrams to say what is a typo of what

# -- building queries ---------------------------------------------------------------------------


def _lexeme(word: str) -> str:
    # Words are [a-z0-9]+ (see module docstring); quoting keeps them lexemes whatever they are.
    return "'" + word.replace("'", "''").replace("\\", "\\\\") + "'"


def _word_query(term: str, forms: Sequence[str] | None = None) -> str:
    """The tsquery alternatives for one query word, without typo tolerance. `forms`: the
    lexicon's words that begin with the word's stem, when known and few: the same ads as the
    prefix, but GIN looks exact words up in their posting trees and can skip through them,
    whereas a prefix is first gathered into a bitmap of every ad it matches (118 ms for a word
    in 130,000 ads). https://www.postgresql.org/docs/current/gin-implementation.html"""
    stemmed = stem(term)
    if stemmed.isdigit():
        return _lexeme(stemmed)  # a number (`2015`, `3`) is a number, not a prefix
    if len(stemmed) > SHORT_STEM:
        if forms:
            return "(" + " | ".join(map(_lexeme, forms)) + ")"
        return _lexeme(stemmed) + ":*"
    if not stemmed.isalpha():
        return _lexeme(stemmed)
    shorts = dict.fromkeys([term, *(stemmed + ending for ending in SHORT_WORD_ENDINGS)])
    return "(" + " | ".join(_lexeme(form) for form in shorts) + ")"


def exact_query(
    terms: Sequence[str], forms: Sequence[Sequence[str] | None] | None = None
) -> str | None:
    """All words must match (tsquery text); None for no words."""
    if not terms:
        return None
    expanded = forms or [None] * len(terms)
    return " & ".join(f"({_word_query(t, f)})" for t, f in zip(terms, expanded, strict=True))


def _typo_query(
    terms: Sequence[str],
    forms: Sequence[Sequence[str] | None],
    typos: Sequence[Sequence[str]],
) -> str | None:
    """Ads where every word matches exactly or through an alternative (`typos`: tsquery
    alternatives, the other vowel's and the typos'), and at least one only through an
    alternative (the exact ones are found by exact_query)."""
    exact = [_word_query(t, f) for t, f in zip(terms, forms, strict=True)]
    either = [
        f"({word} | {' | '.join(alternatives)})" if alternatives else f"({word})"
        for word, alternatives in zip(exact, typos, strict=True)
    ]
    branches = [
        " & ".join(f"({' | '.join(typos[i])})" if j == i else either[j] for j in range(len(terms)))
        for i in range(len(terms))
        if typos[i]
    ]
    if not branches:
        return None
    return "(" + " | ".join(f"({b})" for b in branches) + ") & !(" + " & ".join(exact) + ")"


def prefix_bounds(stemmed: str) -> tuple[str, str]:
    # Words are [a-z0-9]; '~' sorts after all of them in the "C" collation.
    return stemmed, stemmed + "~"


# A stem with more lexicon words than this stays a prefix (`'te':*`-like stems of common words).
MAX_FORMS: Final = 32


@dataclass(frozen=True, slots=True)
class _Lookup:
    forms: list[list[str] | None]  # per term: its stem's words, None when unknown or too many
    typos: list[list[str]]  # per term: the nearest other words
    # per term: its stem's other-vowel spellings that begin lexicon words, each with those words
    # (None when too many: then it is a prefix)
    variants: list[list[tuple[str, list[str] | None]]]
    unknown_word: bool = False  # some word's stem begins no word of the lexicon
    # Whether any ad is lifted now; None when not asked (a query without words). Asked in the
    # lookup's own round trip, so that a search costs no lifted-ads statement per tier while
    # nobody has paid for a lift (most of the time: a few lifts an hour, 24 hours each).
    lifted_now: bool | None = None

    def alternatives(self, i: int) -> list[str]:
        """The tsquery alternatives of the i-th term: its other-vowel words (or prefixes),
        then its typos."""
        found: list[str] = []
        for variant, words in self.variants[i]:
            found += map(_lexeme, words) if words else [_lexeme(variant) + ":*"]
        return found + [_lexeme(t) for t in self.typos[i]]


async def _lookup(conn: Conn, terms: Sequence[str], *, other_vowel: bool = True) -> _Lookup:
    """One round trip to the lexicon for every word of a query: the words each stem begins
    (for exact lookups), the words each of its other-vowel spellings begins
    (text.fold.vowel_variants), and, for words of MIN_TYPO_WORD letters or more, the most
    similar words that the stem does not already cover."""
    if not terms:
        return _Lookup([], [], [], False)
    stems = [stem(t) for t in terms]
    # The other-vowel stems are rows of their own after the terms' (looked up like a stem, no
    # typos): one statement as before, one more index range per variant.
    variant_of = [(i, v) for i, s in enumerate(stems) for v in vowel_variants(s) if other_vowel]
    rows = await conn.fetch(
        """
        SELECT t.i,
               CASE WHEN t.expand THEN ARRAY(
                    SELECT word FROM search_words
                     WHERE word >= t.stem AND word < t.stem || '~'
                     ORDER BY word LIMIT $5) END AS forms,
               CASE WHEN t.fuzzy THEN ARRAY(
                    SELECT word FROM search_words
                     WHERE word % t.term AND similarity(word, t.term) >= $3
                       AND NOT (word >= t.stem AND word < t.stem || '~')
                     ORDER BY similarity(word, t.term) DESC, word
                     LIMIT $4) END AS typos,
               (SELECT EXISTS (
                    SELECT 1 FROM ads WHERE lifted_until > now() AND status = 'published'
               )) AS lifted_now
          FROM unnest($1::text[], $2::text[], $6::bool[], $7::bool[])
               WITH ORDINALITY AS t(term, stem, expand, fuzzy, i)
         ORDER BY t.i
        """,
        [*terms, *(terms[i] for i, _ in variant_of)],
        [*stems, *(v for _, v in variant_of)],
        TYPO_SIMILARITY,
        TYPO_WORDS,
        MAX_FORMS + 1,
        [*(len(s) > SHORT_STEM and not s.isdigit() for s in stems), *(True for _ in variant_of)],
        [*(len(t) >= MIN_TYPO_WORD and t.isalpha() for t in terms), *(False for _ in variant_of)],
    )
    forms: list[list[str] | None] = []
    unknown = False
    for row in rows[: len(terms)]:
        found = row["forms"]
        if found is not None and not found:
            unknown = True  # no ad ever had a word with this stem: no exact match exists
        forms.append(list(found) if found and len(found) <= MAX_FORMS else None)
    variants: list[list[tuple[str, list[str] | None]]] = [[] for _ in terms]
    for (i, variant), row in zip(variant_of, rows[len(terms) :], strict=True):
        if row["forms"]:  # an other-vowel stem that begins no word is no alternative
            words = list(row["forms"])
            # MAX_FORMS + 1 words came: more than are listed, so it stays a prefix.
            variants[i].append((variant, words if len(words) <= MAX_FORMS else None))
    typos: list[list[str]] = []
    for row, per_variant in zip(rows[: len(terms)], variants, strict=True):
        covered = tuple(v for v, _ in per_variant)  # a typo that is one of those goes
        typos.append([w for w in row["typos"] or () if not (covered and w.startswith(covered))])
    lifted_now = bool(rows[0]["lifted_now"]) if rows else None
    return _Lookup(forms, typos, variants, unknown, lifted_now)


async def typo_alternatives(conn: Conn, terms: Sequence[str]) -> list[list[str]]:
    """Per term, its nearest lexicon words by trigram similarity (what a saved search's typo is
    settled on). Not the other vowel: a saved `стол` that no ad has yet would be settled on
    `stul` and tell its buyer of chairs, never of tables."""
    return (await _lookup(conn, terms, other_vowel=False)).typos


# -- searching ----------------------------------------------------------------------------------

_HIT_COLUMNS: Final = """
    a.id, a.owner_id, a.category, a.region, a.district, a.description, a.price_amount,
    a.price_currency, a.created_at, a.published_at, a.lifted_until,
    coalesce(a.lifted_until > now(), false) AS lifted
"""
# Ads lifted now: few (a few lifts an hour, 24 hours each), found through their partial index.
_LIFTED: Final = """(SELECT * FROM ads WHERE lifted_until > now() AND status = 'published') a"""
_NOT_LIFTED: Final = " AND (a.lifted_until IS NULL OR a.lifted_until <= now())"


def _filter_sql(filters: SearchFilters, args: list[Any]) -> str:
    """`AND …` conditions for the filters, their values appended to `args`."""
    sql = ""

    def param(value: object) -> str:
        args.append(value)
        return f"${len(args)}"

    if filters.category is not None:
        sql += f" AND a.category = {param(filters.category.value)}"
    if filters.region is not None:
        sql += f" AND a.region = {param(filters.region.value)}"
    if filters.price is not None:
        sql += f" AND a.price_currency = {param(filters.price.currency.value)}"
        if filters.price.minimum is not None:
            sql += f" AND a.price_amount >= {param(filters.price.minimum)}"
        if filters.price.maximum is not None:
            sql += f" AND a.price_amount <= {param(filters.price.maximum)}"
    return sql


@contextlib.asynccontextmanager
async def _connection(db: Executor) -> AsyncIterator[Conn]:
    if isinstance(db, asyncpg.Pool):
        async with db.acquire() as conn:
            yield conn
    else:
        yield db


# Choosing the plan. A page of a common word is cheapest by walking the newest ads and
# stopping after a page; a rare word (or a typo, or two words that never meet) by reading its
# few ads through the GIN index and sorting them. The planner cannot tell these apart for
# prefixes and word combinations (its guess for `'zxqvvbn':*` was 233 of 100,000 ads; the walk
# then read every ad). So each tier first looks among the RECENT_ROWS newest ads only: when
# the page is there, it is the answer (the newest matches overall); otherwise the matches are
# rare and the GIN index finds them all, with the planner held to bitmap scans by its enable_*
# settings for that one statement. https://www.postgresql.org/docs/current/runtime-config-query.html
RECENT_ROWS: Final = 3000
# The deepest result anyone may ask for and the most in one call (inline mode's 50 and one to
# see whether there is more): search_ads refuses anything past them before a query runs.
MAX_OFFSET: Final = 1000
MAX_LIMIT: Final = 51
MAX_WALK_ROWS: Final = 30_000
_BITMAP_ONLY: Final = """
    SET LOCAL enable_seqscan = off;
    SET LOCAL enable_indexscan = off;
    SET LOCAL enable_indexonlyscan = off;
"""
_RESTORE: Final = """
    SET LOCAL enable_seqscan TO DEFAULT;
    SET LOCAL enable_indexscan TO DEFAULT;
    SET LOCAL enable_indexonlyscan TO DEFAULT;
"""


async def search_ads(
    db: Executor,
    terms: Sequence[str],
    filters: SearchFilters = NO_FILTERS,
    *,
    limit: int = 5,
    offset: int = 0,
    after: After | None = None,
    condition: str = "",
) -> list[SearchHit]:
    """Live ads matching every word of `terms` (folded, from text.fold.query_terms) and the
    filters: exact matches first, then typo-tolerant ones, newest first within each.

    No words: the newest ads within the filters (the inline mode's empty query). Ask for one
    more than a page to know whether there is a next one. `after`: only the hits that come
    after that one. `condition`: a fixed SQL condition on the ad `a` (never user input).
    """
    if not 0 <= offset <= MAX_OFFSET or not 0 < limit <= MAX_LIMIT:
        # Refused before any query: a forged page (`find1:p:…:1000000000000000000`) would
        # otherwise ask the tiers for that many rows and read every match.
        return []
    want = offset + limit
    keys: list[tuple[int, bool]] = []  # (ad id, exact), best first
    async with _connection(db) as conn:
        outer = conn.is_in_transaction()
        async with conn.transaction():
            # LIMIT takes a parameter: a generic plan would guess its size.
            # https://www.postgresql.org/docs/current/sql-prepare.html
            await conn.execute("SET LOCAL plan_cache_mode = force_custom_plan")
            tiers, lifted_now = await _tiers(conn, terms)
            # Lifted ads first (a paid lift), then the rest; a cursor inside the lifted ads
            # carries their lift time, one after them does not. With no ad lifted now, the
            # rest begins at the start, as it does after an empty lifted part.
            in_lifted = after is None or after.lifted_until is not None
            first = (True, False) if in_lifted and lifted_now is not False else (False,)
            for lifted in first:
                cursor = after if (after is not None and lifted == in_lifted) else None
                for exact, query in tiers:
                    needed = want - len(keys)
                    if needed <= 0:
                        break
                    if cursor is not None and cursor.exact and not exact:
                        cursor = None  # the typo tier begins after the last exact hit
                    if cursor is not None and exact and not cursor.exact:
                        continue  # the cursor is in the typo tier already
                    before = None
                    if cursor is not None:
                        key = cursor.lifted_until if lifted else cursor.published_at
                        before = (key, cursor.ad_id) if key is not None else None
                    rows = await _tier_rows(
                        conn,
                        query,
                        filters,
                        needed,
                        lifted=lifted,
                        before=before,
                        condition=condition,
                    )
                    keys += [(r["id"], exact) for r in rows]
            page = keys[offset:want]
            # The tiers return ids only; the page's own rows (description, photo, post) are
            # read for the page alone, so a deep page costs ids, not descriptions.
            details = await conn.fetch(_DETAILS, [ad_id for ad_id, _ in page]) if page else []
            if outer:  # SET LOCAL would last until the caller's transaction ends
                await conn.execute("SET LOCAL plan_cache_mode TO DEFAULT")
    exact_of = dict(page)
    return [_hit(row, exact=exact_of[row["id"]]) for row in details]


async def explain_search(
    conn: Conn,
    terms: Sequence[str],
    filters: SearchFilters,
    *,
    limit: int = 5,
    condition: str = "",
) -> list[str]:
    """`EXPLAIN (ANALYZE, BUFFERS)` of each statement search_ads may run (for the benchmark)."""
    plans: list[str] = []
    async with conn.transaction():
        await conn.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        for _exact, query in (await _tiers(conn, terms))[0]:
            await _tier_rows(conn, query, filters, limit, plans=plans, condition=condition)
    return plans


async def _tiers(
    conn: Conn, terms: Sequence[str]
) -> tuple[list[tuple[bool, str | None]], bool | None]:
    """The tsqueries to run in order: exact, then typo-tolerant (when a word has near words);
    and whether any ad is lifted now (None: not asked, for a query without words)."""
    if not terms:
        return [(True, None)], None
    found = await _lookup(conn, terms)
    tiers: list[tuple[bool, str | None]] = []
    if not found.unknown_word:  # the lexicon has every word of every ad
        tiers.append((True, exact_query(terms, found.forms)))
    typo = _typo_query(terms, found.forms, [found.alternatives(i) for i in range(len(terms))])
    if typo is not None:
        tiers.append((False, typo))
    return tiers, found.lifted_now


def price_band(amount: int) -> int:
    """The price band of an amount, as the ads' tsvector has it (see migration 0006)."""
    return math.floor(3 * math.log10(amount))


def _filter_lexemes(filters: SearchFilters) -> list[str]:
    """The filters as lexemes of the ads' tsvector (see migration 0006). The price bands are
    widened by one on each side, so that a rounding difference between Python's and
    PostgreSQL's logarithm at a band's edge cannot drop an ad; the exact price condition
    stays in the WHERE clause."""
    lexemes = []
    if filters.category is not None:
        lexemes.append(_lexeme("#c:" + filters.category.value))
    if filters.region is not None:
        lexemes.append(_lexeme("#r:" + filters.region.value))
    if filters.price is not None:
        low, high = PRICE_BOUNDS[filters.price.currency]
        low = max(low, filters.price.minimum or low)
        high = max(low, min(high, filters.price.maximum or high))
        prefix = f"#p:{filters.price.currency.value}:"
        bands = range(price_band(low) - 1, price_band(high) + 2)
        lexemes.append("(" + " | ".join(_lexeme(f"{prefix}{b}") for b in bands) + ")")
    return lexemes


async def _tier_rows(
    conn: Conn,
    words: str | None,
    filters: SearchFilters,
    rows: int,
    *,
    lifted: bool = False,
    plans: list[str] | None = None,
    before: tuple[datetime, int] | None = None,
    condition: str = "",
) -> list[asyncpg.Record]:
    """The newest `rows` live ads matching one tier's words and the filters.

    Looks among the RECENT_ROWS newest ads first. When some but not enough match there, the
    matches are frequent enough for a longer walk (twice the length the first look suggests,
    at most MAX_WALK_ROWS); when none do, or the walk still falls short, the GIN index finds
    them all. `lifted`: only the ads lifted now, latest lift first; otherwise those are left
    out (they came first). `plans`: collect EXPLAIN (ANALYZE, BUFFERS) of each statement
    instead.
    """
    args: list[Any] = [rows]
    where = _filter_sql(filters, args)
    newest = ""
    if before is not None:
        args += before
        values = f"(${len(args) - 1}, ${len(args)})"
        newest = f" AND (published_at, id) < {values}"
        order = "lifted_until" if lifted else "published_at"
        where += f" AND (a.{order}, a.id) < {values}"
    if condition:
        where += f" AND {condition}"
    parts = ([f"({words})"] if words else []) + _filter_lexemes(filters)
    if parts:
        args.append(" & ".join(parts))
        where += f" AND a.search_tsv @@ ${len(args)}::tsquery"

    async def run(sql: str, settings: str | None = None) -> list[asyncpg.Record]:
        if settings:
            await conn.execute(settings)
        try:
            if plans is not None:
                explained = await conn.fetch("EXPLAIN (ANALYZE, BUFFERS) " + sql, *args)
                plans.append("\n".join(r[0] for r in explained))
            return await conn.fetch(sql, *args)
        finally:
            if settings:
                await conn.execute(_RESTORE)

    if lifted:
        return await run(_hits_sql(_LIFTED, where, order="lifted_until"))
    where += _NOT_LIFTED
    everything = _hits_sql("ads a", "AND a.status = 'published'" + where)
    if not parts:
        # Newest first, at most a price condition: the planner walks the newest-first index.
        return await run(everything)
    found = await run(_hits_sql(_newest(RECENT_ROWS, newest), where))
    if len(found) < rows and found:
        walk = math.ceil(2 * RECENT_ROWS * rows / len(found))
        if walk <= MAX_WALK_ROWS:
            found = await run(_hits_sql(_newest(walk, newest), where))
    if len(found) < rows:
        found = await run(everything, _BITMAP_ONLY)
    return found


def _newest(count: int, keyset: str = "") -> str:
    return f"""(SELECT * FROM ads WHERE status = 'published'{keyset}
                 ORDER BY published_at DESC, id DESC LIMIT {int(count)}) a"""  # noqa: S608


# A banned seller's ads are in no result while the ban lasts (db.bans).
_NOT_BANNED: Final = seller_not_banned("a.owner_id")


def _hits_sql(source: str, where: str, *, order: str = "published_at") -> str:
    return f"""
        SELECT a.id FROM {source}
         WHERE {_NOT_BANNED} {where}
         ORDER BY a.{order} DESC, a.id DESC LIMIT $1
    """  # noqa: S608 - fixed fragments; every value is a parameter


# The rows of one page of hits, in the order of the ids given (a sold ad drops out).
_DETAILS: Final = f"""
    SELECT {_HIT_COLUMNS}, ph.file_id, p.chat_id, p.message_id
      FROM unnest($1::bigint[]) WITH ORDINALITY AS k(id, n)
      JOIN ads a ON a.id = k.id AND a.status = 'published'
      LEFT JOIN LATERAL (
            SELECT file_id FROM ad_photos WHERE ad_id = a.id AND position = 0) ph ON true
      LEFT JOIN LATERAL (
            SELECT chat_id, message_id FROM ad_posts
             WHERE ad_id = a.id AND position = 0
             ORDER BY posted_at DESC, message_id DESC LIMIT 1) p ON true
     ORDER BY k.n
"""  # noqa: S608 - fixed fragments; every value is a parameter


def _hit(row: asyncpg.Record, *, exact: bool) -> SearchHit:
    return SearchHit(
        ad_id=row["id"],
        owner_id=row["owner_id"],
        category=Category(row["category"]),
        region=Region(row["region"]),
        district=row["district"],
        description=row["description"],
        price=price_of(row),
        created_at=row["created_at"],
        published_at=row["published_at"],
        photo_file_id=row["file_id"],
        post_chat_id=row["chat_id"],
        post_message_id=row["message_id"],
        exact=exact,
        lifted=row["lifted"],
        lifted_until=row["lifted_until"] if row["lifted"] else None,
    )


# -- the search text ----------------------------------------------------------------------------


async def set_search_text(conn: Conn, ad_id: int, text: str) -> None:
    """Store an ad's search text (text.fold.ad_document) and add its words to the lexicon.

    Call at submit and after every edit, in the transaction that changes the ad.
    """
    await conn.execute(
        f"""
        WITH ad AS (UPDATE ads SET search_text = $2 WHERE id = $1 RETURNING search_tsv)
        {add_words("ad")}
        """,  # noqa: S608 - a fixed CTE name, no input
        ad_id,
        text,
    )


def add_words(source: str) -> str:
    """The INSERT that adds the words of `source`'s `search_tsv` (a CTE's name: the ad just
    written, with its search text) to the lexicon; `set_search_text` and `ads.insert_ad`."""
    return f"""
        INSERT INTO search_words (word)
        SELECT w FROM {source}, unnest(tsvector_to_array({source}.search_tsv)) w
         WHERE w ~ '^[a-z0-9]+$' AND w !~ '^[0-9]+$'
         ORDER BY w  -- one order for every writer, so two inserting the same words never deadlock
        ON CONFLICT (word) DO UPDATE SET seen_at = now()
         -- refreshed at most daily: a common word is not rewritten by every ad
         WHERE search_words.seen_at < now() - interval '1 day'
        """  # noqa: S608 - `source` is a CTE name of ours, no input


# Words not written by any ad for this long are pruned unless a live ad still has them; a day's
# notice counts are kept this many days (only today's counts, in Tashkent, matter).
KEEP_WORDS: Final = timedelta(days=7)
KEEP_NOTICE_DAYS: Final = 3
PRUNE_BATCH: Final = 5000


async def prune_search(conn: Conn, *, keep_words: timedelta = KEEP_WORDS) -> tuple[int, int]:
    """Delete lexicon words no live ad has that no ad wrote for `keep_words` (a rejected
    seller's junk words also fed typo matching), a batch at a time, and old notice counts.
    Returns (words, notice days) deleted. Run by the prune job in its claimed transaction."""
    words = await conn.fetchval(
        """
        WITH old AS (
            SELECT word FROM search_words
             WHERE seen_at < now() - $1::interval
             ORDER BY seen_at LIMIT $2
             FOR UPDATE SKIP LOCKED),
        gone AS (
            DELETE FROM search_words w USING old
             WHERE w.word = old.word
               AND NOT EXISTS (
                   SELECT 1 FROM ads a
                    WHERE a.search_tsv @@ quote_literal(old.word)::tsquery
                      AND a.status IN ('pending', 'approved', 'published'))
            RETURNING 1)
        SELECT count(*) FROM gone
        """,
        keep_words,
        PRUNE_BATCH,
    )
    days = await conn.fetchval(
        """
        WITH gone AS (
            DELETE FROM search_notice_days
             WHERE day < (now() AT TIME ZONE 'UTC' + interval '5 hours')::date - $1::int
            RETURNING 1)
        SELECT count(*) FROM gone
        """,
        KEEP_NOTICE_DAYS,
    )
    return int(words), int(days)


async def backfill_search_text(conn: Conn, *, batch: int = 2000) -> int:
    """Fold the search text of every ad that has none (the ads from before migration 0006).

    Run by the migration itself (vodiy_bozor/db/migrate.py), in its transaction. Returns the
    number of ads filled in.
    """
    done = 0
    last_id = 0
    while True:
        rows = await conn.fetch(
            """
            SELECT id, description, category, region, district FROM ads
             WHERE id > $1 AND search_text = '' ORDER BY id LIMIT $2
            """,
            last_id,
            batch,
        )
        if not rows:
            break
        last_id = rows[-1]["id"]
        texts = [
            ad_document(
                r["description"], Category(r["category"]), Region(r["region"]), r["district"]
            )
            for r in rows
        ]
        await conn.execute(
            """
            UPDATE ads SET search_text = t.text
              FROM unnest($1::bigint[], $2::text[]) AS t(id, text)
             WHERE ads.id = t.id
            """,
            [r["id"] for r in rows],
            texts,
        )
        done += len(rows)
    await conn.execute(
        """
        INSERT INTO search_words (word)
        SELECT DISTINCT w FROM ads, unnest(tsvector_to_array(search_tsv)) w
         WHERE w ~ '^[a-z0-9]+$' AND w !~ '^[0-9]+$'
        ON CONFLICT DO NOTHING
        """
    )
    return done
