-- Principle 1 of the spec: every person who writes to the bot is stored.
CREATE TABLE users (
    id            bigint PRIMARY KEY,               -- Telegram user id
    username      text,
    first_name    text NOT NULL DEFAULT '',
    last_name     text,
    language_code text,                              -- as Telegram reports it
    lang          text,                              -- chosen with /lang; NULL follows language_code
    first_seen    timestamptz NOT NULL DEFAULT now(),
    last_seen     timestamptz NOT NULL DEFAULT now(),
    blocked       boolean NOT NULL DEFAULT false,    -- the user blocked the bot (403 or my_chat_member)
    blocked_at    timestamptz
);
CREATE INDEX users_first_seen_idx ON users (first_seen);

-- Conversation state (aiogram FSM) and the answers so far, so a draft survives restarts and is
-- shared by several bot processes. One row per (bot, chat, user, thread, destiny).
CREATE TABLE fsm_states (
    bot_id     bigint NOT NULL,
    chat_id    bigint NOT NULL,
    user_id    bigint NOT NULL,
    thread_id  bigint NOT NULL DEFAULT 0,
    destiny    text   NOT NULL DEFAULT 'default',
    state      text,
    data       jsonb  NOT NULL DEFAULT '{}'::jsonb,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (bot_id, chat_id, user_id, thread_id, destiny)
);
