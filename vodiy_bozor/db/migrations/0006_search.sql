-- Buyers' search: one folded search text per ad, its words as a tsvector, a lexicon of every
-- word for typo tolerance, saved searches that alert, and who opened which ad.
--
-- The search text is folded in Python (vodiy_bozor/search_text.py: every script to lowercase
-- ASCII words), so existing ads are filled in by Python right after this file runs, in the same
-- transaction (vodiy_bozor/db/migrate.py, `backfill_search_text`).

-- pg_trgm is a trusted extension since PostgreSQL 13: the database owner may create it without
-- superuser rights. https://www.postgresql.org/docs/current/pgtrgm.html
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The folded words, space-separated, each once; and the same words as lexemes, plus lexemes for
-- the filters, so that the GIN lookup of the words also applies the category, the region and
-- (roughly) the price: `#c:phones`, `#r:andijan`, and `#p:UZS:19` for a price in the band
-- floor(3 × log10(amount)) (three bands a decade: 1-2.1, 2.1-4.6, 4.6-10 million is 18, 19, 20).
-- They never collide with a folded word, which is [a-z0-9]+. The tsvector is built from the
-- words themselves (array_to_tsvector), not by a text-search parser: the words are already
-- normalised, and a parser could split `a52` or `wi-fi` differently from the query side.
-- https://www.postgresql.org/docs/current/functions-textsearch.html
ALTER TABLE ads
    ADD COLUMN search_text text NOT NULL DEFAULT '',
    ADD COLUMN search_tsv tsvector NOT NULL GENERATED ALWAYS AS (array_to_tsvector(
        array_remove(string_to_array(search_text, ' '), '')
        || ARRAY['#c:' || category, '#r:' || region]
        || CASE WHEN price_amount > 0
                THEN ARRAY['#p:' || price_currency || ':'
                           || floor(3 * log(price_amount::float8))::int::text]
                ELSE '{}'::text[] END)) STORED;

-- Searches look only at live ads ("published": not pending, sold, removed or expired), so the
-- indexes hold only those, and a sold ad leaves them (and every result) in its UPDATE.
-- GIN over the lexemes: all words of a query, each a prefix (`telefon:*`), in one index scan.
CREATE INDEX ads_search_idx ON ads USING gin (search_tsv) WHERE status = 'published';
-- Newest first: results of common words, and searches with filters only, walk this index and
-- stop after a page.
CREATE INDEX ads_search_recent_idx ON ads (published_at DESC, id DESC)
    WHERE status = 'published';
CREATE INDEX ads_search_category_idx ON ads (category, published_at DESC, id DESC)
    WHERE status = 'published';

-- Every word that any ad's search text ever had (numbers and the filter lexemes left out). Typo tolerance
-- looks up the words nearest to a query word here, by trigram similarity, and searches the ads
-- for those words: a lexicon of some ten thousand words is far cheaper to compare with than a
-- million ads, as the pg_trgm documentation suggests for text search.
-- https://www.postgresql.org/docs/current/pgtrgm.html#PGTRGM-TEXT-SEARCH
-- COLLATE "C" lets the primary key's B-tree answer `LIKE 'stem%'` too.
CREATE TABLE search_words (
    word text COLLATE "C" PRIMARY KEY
);
CREATE INDEX search_words_trgm_idx ON search_words USING gin (word gin_trgm_ops);

-- A buyer's saved search: the query as typed (to list it), its folded words, and the filters.
-- `match` is the query as a tsquery (what a new ad must satisfy); `keys` holds the beginning
-- of its longest word's stem (db/search.py, saved_search_keys). A new ad is matched by looking
-- up, in the GIN index over `keys`, the searches whose key begins one of the ad's words
-- (`keys && the ad's word beginnings`), and those without words (filters only); `match` and
-- the filters then decide. The cost follows the number of candidate searches, not the number
-- of saved searches.
-- At most 10 per buyer, enforced by db/search.add_saved_search under a lock on the buyer.
CREATE TABLE saved_searches (
    id             bigserial PRIMARY KEY,
    buyer_id       bigint NOT NULL,
    query          text NOT NULL,
    terms          text[] NOT NULL,
    keys           text[] NOT NULL,
    match          tsquery,                          -- NULL: no words, filters only
    category       text,
    region         text,
    price_min      bigint,
    price_max      bigint,
    price_currency text CHECK (price_currency IN ('UZS', 'USD')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK ((price_min IS NULL AND price_max IS NULL) = (price_currency IS NULL))
);
CREATE INDEX saved_searches_buyer_idx ON saved_searches (buyer_id, id);
CREATE INDEX saved_searches_keys_idx ON saved_searches USING gin (keys);
CREATE INDEX saved_searches_no_words_idx ON saved_searches (id) WHERE keys = '{}';

-- Matching leaves out buyers who blocked the bot: the few of them, straight from this index.
CREATE INDEX users_blocked_idx ON users (id) WHERE blocked;

-- Which buyers opened an ad through its deep link: one row per buyer, the first time.
-- No foreign key to users: users are written in batches, and an open may come first.
CREATE TABLE ad_opens (
    ad_id     bigint NOT NULL REFERENCES ads (id) ON DELETE CASCADE,
    buyer_id  bigint NOT NULL,
    opened_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (ad_id, buyer_id)
);

-- Saved-search notices sent to a buyer per day (Tashkent's calendar day): at most 20 a day.
CREATE TABLE search_notice_days (
    buyer_id bigint NOT NULL,
    day      date NOT NULL,
    sent     integer NOT NULL DEFAULT 0,
    PRIMARY KEY (buyer_id, day)
);
