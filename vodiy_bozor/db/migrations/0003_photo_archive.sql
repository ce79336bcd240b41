-- The photo archive: every ad photo is copied from Telegram into the photo store (a folder or
-- an S3 bucket) by a background worker, because file_ids are tied to one bot token and Telegram
-- keeps files only as long as it likes. The archiver's whole state lives on the photo's row, so
-- a restart picks up exactly where the last run stopped.

ALTER TABLE ad_photos
    ADD COLUMN storage_key      text,                          -- set once the photo is stored
    ADD COLUMN archived_at      timestamptz,
    ADD COLUMN archive_attempts integer NOT NULL DEFAULT 0,    -- failed tries so far
    ADD COLUMN archive_after    timestamptz NOT NULL DEFAULT now(),  -- the next try, not before
    ADD COLUMN archive_error    text,                          -- why the last try failed
    ADD COLUMN archive_given_up boolean NOT NULL DEFAULT false,  -- permanent: e.g. over 20 MB
    ADD COLUMN deleted_at       timestamptz,                   -- removed from the store (retention)
    ADD CONSTRAINT ad_photos_archived_check CHECK ((storage_key IS NULL) = (archived_at IS NULL));

-- "Photos still to archive, due now" is a range scan of this index, however many photos are
-- archived already. The predicate must match the archiver's claim query exactly.
CREATE INDEX ad_photos_to_archive_idx ON ad_photos (archive_after)
    WHERE storage_key IS NULL AND NOT archive_given_up AND deleted_at IS NULL;

-- Wake the archiver as soon as an ad's photos are committed, without the code that inserts
-- them knowing about it. Once per statement (and PostgreSQL folds identical notifications of
-- one transaction into one), so an album of ten photos is one wake-up.
CREATE FUNCTION ad_photos_notify_archive() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('archive', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER ad_photos_notify_archive
    AFTER INSERT ON ad_photos
    FOR EACH STATEMENT
    EXECUTE FUNCTION ad_photos_notify_archive();
