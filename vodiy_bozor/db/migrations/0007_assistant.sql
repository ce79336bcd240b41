-- The moderation assistant: fingerprints that let one ad be compared with every recent ad in a
-- few index lookups, the admins' actions (its labelled examples), bans, and the hints computed
-- for each ad (so they can be scored against what the admins then decided).

-- A 64-bit perceptual difference hash per photo, set by the archive worker (off the hot path).
-- Near-identical photos differ in a few bits. To find them without comparing with every photo,
-- the hash is cut into four 16-bit bands, each tagged with its band number (band * 65536 +
-- value), one row per band in `photo_bands`; a lookup probes each band and its 16 one-bit
-- neighbours, which finds every hash within Hamming distance 7 (some band then differs in at
-- most one bit) and most a little further. Bands with almost no bits set or almost all (flat
-- areas, a white background) are left out: they would match a large share of all photos.
-- The index leads with the band, then the ad's submission time, and carries the hash: a probe
-- reads only the recent window's entries, from the index alone (no table rows), and the exact
-- distance is computed on them.
ALTER TABLE ad_photos ADD COLUMN phash bigint;
CREATE TABLE photo_bands (
    band       integer NOT NULL,
    created_at timestamptz NOT NULL,   -- the ad's
    ad_id      bigint NOT NULL REFERENCES ads (id) ON DELETE CASCADE,
    position   smallint NOT NULL,
    phash      bigint NOT NULL
);
CREATE INDEX photo_bands_lookup_idx ON photo_bands (band, created_at) INCLUDE (ad_id, phash);
CREATE INDEX photo_bands_photo_idx ON photo_bands (ad_id, position);
CREATE INDEX ad_photos_unique_idx ON ad_photos (file_unique_id);

-- The locality-sensitive hash bands of the ad's folded description (MinHash over its words and
-- word pairs, computed by the assistant): texts that share most of their words share some of
-- these values, so candidates for near-identical text are an index lookup too. pg_trgm
-- similarity on whole descriptions would have to walk the index entries of very common
-- trigrams, which at a million ads takes far longer than the 50 ms budget.
ALTER TABLE ads ADD COLUMN text_sketch integer[];
CREATE INDEX ads_text_sketch_idx ON ads USING gin (text_sketch);
CREATE INDEX ads_phone_idx ON ads (phone, created_at);
-- Price medians read the most recent published prices of one category.
CREATE INDEX ads_category_published_idx ON ads (category, published_at DESC)
    WHERE published_at IS NOT NULL AND price_amount IS NOT NULL;
-- Rejections of one seller in the last 30 days.
CREATE INDEX ads_owner_rejected_idx ON ads (owner_id, decided_at) WHERE status = 'rejected';

-- Every admin action, with who and when: the ad's card history and the assistant's labels.
CREATE TABLE admin_actions (
    id       bigserial PRIMARY KEY,
    ad_id    bigint REFERENCES ads (id) ON DELETE CASCADE,  -- NULL for an unban by /unban
    admin_id bigint NOT NULL,
    action   text NOT NULL CHECK (action IN ('approve', 'reject', 'category', 'ban', 'unban')),
    detail   text,               -- the reject code or reason, the new category, the ban reason
    user_id  bigint,             -- the seller acted on (ban, unban)
    at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX admin_actions_ad_idx ON admin_actions (ad_id, at);
CREATE INDEX admin_actions_at_idx ON admin_actions (at);

-- Bans: one row per ban; a ban is in force while lifted_at is NULL.
CREATE TABLE bans (
    id        bigserial PRIMARY KEY,
    user_id   bigint NOT NULL,
    reason    text NOT NULL,
    banned_by bigint NOT NULL,
    at        timestamptz NOT NULL DEFAULT now(),
    lifted_at timestamptz,
    lifted_by bigint
);
CREATE UNIQUE INDEX bans_active_idx ON bans (user_id) WHERE lifted_at IS NULL;

-- The hints computed for an ad, kept so that `vodiy-bozor assistant` can score each signal
-- against what the admins then decided.
CREATE TABLE ad_hints (
    ad_id               bigint PRIMARY KEY REFERENCES ads (id) ON DELETE CASCADE,
    computed_at         timestamptz NOT NULL DEFAULT now(),
    duplicate_of        bigint,
    scam_level          text NOT NULL,
    scam_reasons        text[] NOT NULL DEFAULT '{}',
    suggested_category  text,
    category_confidence real,
    category_shown      boolean NOT NULL DEFAULT false,  -- the card got the 📂 line
    price_off           boolean NOT NULL DEFAULT false
);
