-- The catalogue Mini App (vodiy_bozor/webapp): buyers' favourites, and photo thumbnails.

-- A buyer's ❤️: one row per buyer and ad. The Favourites tab reads a buyer's newest first,
-- by keyset on (created_at, ad_id); a sold ad stays here and shows as sold, a removed one is
-- left out when read (its row goes with the ad only when the ad itself is deleted).
-- No foreign key to users: users are written in batches, and a Mini App user may never have
-- written to the bot.
CREATE TABLE favourites (
    buyer_id   bigint NOT NULL,
    ad_id      bigint NOT NULL REFERENCES ads (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (buyer_id, ad_id)
);
CREATE INDEX favourites_buyer_idx ON favourites (buyer_id, created_at DESC, ad_id DESC);

-- The archive worker also stores a small copy of each photo (at most 320 px on the longer
-- side) next to the original; the catalogue's grid shows it instead of the full photo.
-- `thumb_given_up`: the stored photo is not an image a thumbnail can be made of.
ALTER TABLE ad_photos
    ADD COLUMN thumb_key text,
    ADD COLUMN thumb_given_up boolean NOT NULL DEFAULT false;
-- Photos archived before thumbnails existed (or whose thumbnail could not be stored yet): the
-- worker makes theirs when it has nothing else to do, newest ads first.
CREATE INDEX ad_photos_to_thumb_idx ON ad_photos (ad_id DESC, position)
    WHERE storage_key IS NOT NULL AND thumb_key IS NULL AND NOT thumb_given_up
          AND deleted_at IS NULL;
