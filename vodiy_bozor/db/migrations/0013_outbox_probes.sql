-- A channel post whose outcome is unknown (the request may have reached Telegram, but no
-- answer came back) is looked for in the channel before anything else is done with it: the
-- bot edits the channel's message ids after the last one it knows with exactly the caption it
-- sent, and Telegram's refusal says whether each id is that post ("message is not modified"),
-- missing ("message to edit not found") or someone else's ("message can't be edited");
-- https://core.telegram.org/bots/api#updating-messages. One row per outbox row being looked
-- for, advanced one probe per transaction, so a restart goes on where it stopped and never
-- posts twice. The outbox row stays pending (and first in its chat's queue) meanwhile.
CREATE TABLE outbox_probes (
    row_id    bigint PRIMARY KEY REFERENCES outbox (id) ON DELETE CASCADE,
    caption   text NOT NULL,              -- exactly what the call in doubt carried (HTML)
    items     smallint NOT NULL,          -- messages it makes: 1, or the album's size
    text_post boolean NOT NULL DEFAULT false,  -- a text message (editMessageText)
    since     timestamptz NOT NULL,       -- when the call in doubt was made
    chat_id   bigint,                     -- the channel's numeric id, once known
    next_id   bigint,                     -- the message id to look at next (NULL: not begun)
    misses    integer NOT NULL DEFAULT 0, -- "not found" in a row since the last message seen
    probes    integer NOT NULL DEFAULT 0, -- ids looked at
    failures  integer NOT NULL DEFAULT 0  -- probes that failed in a row (5xx, network)
);

-- The last message id the bot knows in a channel, and whether it knows a given one.
CREATE INDEX ad_posts_chat_message_idx ON ad_posts (chat_id, message_id);
