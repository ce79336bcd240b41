-- Paid promotion with Telegram Stars (https://core.telegram.org/bots/payments-stars).
--
-- One row per payment, keyed by Telegram's charge id: the `successful_payment` message
-- delivered twice, or handled by two instances at once, inserts one row (the second insert
-- finds the key taken), so one payment pays for one promotion. The promotion it pays for is
-- the same row: waiting for its turn, started (its channel row is queued), running (out, for
-- 24 hours), done; or refund_due and refunded when it could not be delivered.
CREATE TABLE promotions (
    charge_id       text PRIMARY KEY,                  -- telegram_payment_charge_id
    user_id         bigint NOT NULL,                   -- who paid
    ad_id           bigint NOT NULL REFERENCES ads (id),
    kind            text NOT NULL CHECK (kind IN ('lift', 'pin')),
    stars           integer NOT NULL CHECK (stars > 0),
    source          text NOT NULL DEFAULT 'update'     -- 'reconciled': found by getStarTransactions
                    CHECK (source IN ('update', 'reconciled')),
    paid_at         timestamptz NOT NULL DEFAULT now(),
    status          text NOT NULL DEFAULT 'waiting' CHECK (status IN
                    ('waiting', 'started', 'running', 'done', 'refund_due', 'refunded')),
    outbox_id       bigint,                            -- the channel row delivering it
    message_id      bigint,                            -- a pin: the channel message pinned
    started_at      timestamptz,
    ends_at         timestamptz,                       -- a running promotion's 24 hours
    refund_reason   text,                              -- sold, removed, banned, channel, ...
    refund_next_at  timestamptz,                       -- when to call refundStarPayment (again)
    refund_attempts integer NOT NULL DEFAULT 0,
    refunded_at     timestamptz
);
CREATE INDEX promotions_open_idx ON promotions (kind, paid_at)
    WHERE status IN ('waiting', 'started', 'running', 'refund_due');
CREATE INDEX promotions_ad_idx ON promotions (ad_id, kind);
CREATE INDEX promotions_paid_idx ON promotions (paid_at);
-- One pinned ad at a time: a second pin can neither start nor run beside the first.
CREATE UNIQUE INDEX promotions_one_pin_idx ON promotions ((true))
    WHERE kind = 'pin' AND status IN ('started', 'running');

-- A lifted ad stands first in search and inline mode until then (few ads at once: a partial
-- index finds them without touching the rest).
ALTER TABLE ads ADD COLUMN lifted_until timestamptz;
CREATE INDEX ads_lifted_idx ON ads (lifted_until) WHERE lifted_until IS NOT NULL;

-- The channel's queue gains a middle rank: paid lifts and pins (1) go after first posts,
-- "sold" edits and notices (0) and before ordinary reposts, which move from 1 to 2.
UPDATE outbox SET rank = 2 WHERE rank = 1 AND status = 'pending';
