-- Keeping unsold goods in front of buyers: reposts, "has it sold?" questions, expiry.

ALTER TABLE ads
    ADD COLUMN last_shown_at     timestamptz,           -- the first post or the latest repost
    ADD COLUMN next_check_at     timestamptz,           -- when to ask the seller "sold?" next
    ADD COLUMN unanswered_checks integer NOT NULL DEFAULT 0;

-- Seller-level rotation, so a seller with many ads does not crowd out the others:
-- `live_ads` counts the seller's published ads (kept by the trigger below, whatever changes
-- an ad's status), `last_reposted_at` is when one of their ads was last shown.
ALTER TABLE users
    ADD COLUMN live_ads         integer NOT NULL DEFAULT 0,
    ADD COLUMN last_reposted_at timestamptz,
    ADD COLUMN next_question_at timestamptz;  -- "sold?" questions to one seller are spaced out

-- The repost pick walks sellers by rotation, then each seller's least recently shown ad:
-- two index range scans, whatever the number of ads.
CREATE INDEX users_rotation_idx ON users (last_reposted_at NULLS FIRST, id) WHERE live_ads > 0;
CREATE INDEX ads_rotation_idx ON ads (owner_id, last_shown_at, id) WHERE status = 'published';
CREATE INDEX ads_shown_idx ON ads (last_shown_at, id) WHERE status = 'published';
CREATE INDEX ads_check_due_idx ON ads (next_check_at) WHERE status = 'published';

CREATE FUNCTION ads_count_live() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.status = NEW.status AND OLD.owner_id = NEW.owner_id THEN
        RETURN NULL;  -- nothing that counts has changed
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'published' THEN
        UPDATE users SET live_ads = live_ads - 1 WHERE id = OLD.owner_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'published' THEN
        UPDATE users SET live_ads = live_ads + 1 WHERE id = NEW.owner_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER ads_count_live
    AFTER INSERT OR DELETE OR UPDATE OF status, owner_id ON ads
    FOR EACH ROW
    EXECUTE FUNCTION ads_count_live();

UPDATE users u SET live_ads = (
    SELECT count(*) FROM ads a WHERE a.owner_id = u.id AND a.status = 'published'
);
UPDATE ads SET last_shown_at = coalesce(published_at, created_at) WHERE status = 'published';

-- Schedules live here, not in memory timers: each job's next due time, claimed atomically,
-- so a restart neither skips nor repeats a run and two processes never both run one.
CREATE TABLE jobs (
    name        text PRIMARY KEY,
    next_run_at timestamptz NOT NULL,
    last_run_at timestamptz,
    last_ad_id  bigint                                -- the repost job: never the same twice
);
