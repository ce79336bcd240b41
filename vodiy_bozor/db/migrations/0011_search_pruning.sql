-- Pruning the buyers' search tables (issue 17): a scheduled job (jobs.py, the prune job) deletes
-- what no longer serves. `search_words` learns when a word was last written by an ad, so the
-- job can find old words cheaply and keep any that a live ad still has; `search_notice_days`
-- needs only today's row per buyer, and an index on the day finds the old ones.
-- A constant default (now() is evaluated once) adds the column without rewriting the table:
-- https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES
ALTER TABLE search_words ADD COLUMN seen_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX search_words_seen_idx ON search_words (seen_at);
CREATE INDEX search_notice_days_day_idx ON search_notice_days (day);
