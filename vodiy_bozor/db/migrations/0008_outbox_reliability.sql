-- The outbox under Telegram's real behaviour: a channel that refuses for a while, calls whose
-- outcome is unknown, bookkeeping that fails after a send, and the channel's queue in order
-- of value.

-- Within one chat, rows go out by (rank, id): rank 0 first (first posts, "sold"/"removed"
-- caption edits, notices), rank 1 only when nothing of rank 0 is pending (reposts). The
-- channel's pace is 20 messages a minute, so what is worth most goes first.
ALTER TABLE outbox ADD COLUMN rank smallint NOT NULL DEFAULT 0;
UPDATE outbox SET rank = 1 WHERE kind = 'channel_repost' AND status = 'pending';
DROP INDEX outbox_chat_idx;
CREATE INDEX outbox_chat_idx ON outbox (chat, rank, id) WHERE status = 'pending';

-- 'unknown': the call may or may not have been performed (a timeout or a dropped connection
-- after the request was sent). Such a row is never sent again blindly; see the README.
ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
    CHECK (status IN ('pending', 'sent', 'failed', 'cancelled', 'unknown'));

-- A sent row whose bookkeeping (message ids, state changes, follow-up rows) failed keeps
-- Telegram's result here until the bookkeeping is done: the call is never made again.
ALTER TABLE outbox ADD COLUMN result jsonb;
ALTER TABLE outbox ADD COLUMN uploaded boolean NOT NULL DEFAULT false;
CREATE INDEX outbox_owed_idx ON outbox (id) WHERE result IS NOT NULL;

-- Each call the worker makes, written before the call and, once Telegram has answered, with
-- the answer, each time in a transaction of its own (autocommit), outside the transaction that
-- holds the row. When that transaction is lost after the call (a crash, the connection cut),
-- the row is still pending, but its attempts say what happened: answered (record the answer,
-- never call again) or in doubt (the call may have been performed). The sending transaction
-- deletes them when it commits. No foreign key to outbox: checking it would wait for the
-- sending transaction's lock on the row.
CREATE TABLE outbox_attempts (
    id         bigserial PRIMARY KEY,
    row_id     bigint NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now(),
    result     jsonb,
    uploaded   boolean NOT NULL DEFAULT false
);
CREATE INDEX outbox_attempts_row_idx ON outbox_attempts (row_id, id);

-- Whether a channel accepts the bot's posts, shared by every instance. A row exists once the
-- channel refused; refusing_since is NULL while it accepts.
CREATE TABLE channel_state (
    chat           text PRIMARY KEY,
    refusing_since timestamptz,
    reason         text,            -- rights, member, not_found
    error          text,            -- Telegram's description, as it came
    told_at        timestamptz,     -- the admins were last told it refuses
    changed_at     timestamptz NOT NULL DEFAULT now()
);
