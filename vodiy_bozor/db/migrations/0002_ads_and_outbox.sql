-- Ads, their photos, every channel message of each, the admins' cards, and the outbox.

CREATE TABLE ads (
    id             bigserial PRIMARY KEY,
    owner_id       bigint NOT NULL REFERENCES users (id),
    status         text NOT NULL DEFAULT 'pending' CHECK (status IN
                   ('pending', 'approved', 'published', 'rejected', 'sold', 'removed', 'expired')),
    category       text NOT NULL,
    description    text NOT NULL,
    price_amount   bigint,                        -- whole units; NULL means negotiable
    price_currency text NOT NULL DEFAULT 'UZS' CHECK (price_currency IN ('UZS', 'USD')),
    region         text NOT NULL,
    district       text,
    phone          text NOT NULL,                 -- +998XXXXXXXXX
    created_at     timestamptz NOT NULL DEFAULT now(),
    decided_at     timestamptz,                   -- approved or rejected
    decided_by     bigint,
    reject_code    text,                          -- a canned reason (duplicate, forbidden, ...)
    reject_reason  text,                          -- or the reason an admin typed
    published_at   timestamptz,                   -- the first channel post went out
    closed_at      timestamptz                    -- sold, removed or expired
);
CREATE INDEX ads_owner_idx ON ads (owner_id, created_at DESC);
CREATE INDEX ads_pending_idx ON ads (created_at) WHERE status = 'pending';
CREATE INDEX ads_status_idx ON ads (status);

CREATE TABLE ad_photos (
    ad_id          bigint NOT NULL REFERENCES ads (id) ON DELETE CASCADE,
    position       smallint NOT NULL CHECK (position BETWEEN 0 AND 9),
    file_id        text NOT NULL,
    file_unique_id text NOT NULL,
    PRIMARY KEY (ad_id, position)
);

-- Every channel message of an ad: the first post and every repost, each album item.
-- Position 0 carries the caption, so "sold" edits go to those.
CREATE TABLE ad_posts (
    ad_id      bigint NOT NULL REFERENCES ads (id) ON DELETE CASCADE,
    chat_id    bigint NOT NULL,
    message_id bigint NOT NULL,
    position   smallint NOT NULL DEFAULT 0,
    is_repost  boolean NOT NULL DEFAULT false,
    posted_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (ad_id, chat_id, message_id)
);
CREATE INDEX ad_posts_posted_idx ON ad_posts (posted_at) WHERE position = 0;

-- The card each admin got for an ad, so every admin's card can be edited after a decision.
CREATE TABLE admin_cards (
    ad_id      bigint NOT NULL REFERENCES ads (id) ON DELETE CASCADE,
    admin_id   bigint NOT NULL,
    message_id bigint NOT NULL,
    PRIMARY KEY (ad_id, admin_id)
);

-- The transactional outbox: everything sent outside the current conversation is written here
-- in the same transaction as the change that caused it, and sent by the delivery worker.
-- One row is one Bot API call; `kind` says how to render it at send time and what to record
-- after it was sent.
CREATE TABLE outbox (
    id         bigserial PRIMARY KEY,
    chat       text NOT NULL,                     -- chat id or @channel, as given to Telegram
    kind       text NOT NULL,
    ad_id      bigint REFERENCES ads (id) ON DELETE CASCADE,
    payload    jsonb NOT NULL DEFAULT '{}'::jsonb,
    status     text NOT NULL DEFAULT 'pending'
               CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),
    not_before timestamptz NOT NULL DEFAULT now(),
    attempts   integer NOT NULL DEFAULT 0,
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    done_at    timestamptz
);
CREATE INDEX outbox_due_idx ON outbox (not_before, id) WHERE status = 'pending';
CREATE INDEX outbox_chat_idx ON outbox (chat, id) WHERE status = 'pending';
CREATE INDEX outbox_done_idx ON outbox (done_at) WHERE status <> 'pending';

-- Telegram's rate limits, shared by every bot process: per chat and overall ('*').
-- A generic cell rate algorithm: `tat` is the theoretical arrival time of the next message,
-- and a chat may be sent to once now() >= ready_at (= tat - burst allowance).
CREATE TABLE delivery_pace (
    chat     text PRIMARY KEY,
    tat      timestamptz NOT NULL,
    ready_at timestamptz NOT NULL
);
