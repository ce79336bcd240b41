-- Saved-search notices a buyer did not get because they had their day's worth already
-- (db/search.py: NOTICES_PER_DAY): one message in the evening lists them. A row per buyer and
-- ad; `due_at` is that evening, and the schedules claim due rows in the transaction that
-- queues the message, so a restart neither loses nor repeats a digest.
CREATE TABLE search_digest_items (
    buyer_id  bigint NOT NULL,
    ad_id     bigint NOT NULL REFERENCES ads (id) ON DELETE CASCADE,
    due_at    timestamptz NOT NULL,
    PRIMARY KEY (buyer_id, ad_id)
);
CREATE INDEX search_digest_items_due_idx ON search_digest_items (due_at);
