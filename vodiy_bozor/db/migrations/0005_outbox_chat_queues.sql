-- The outbox as one queue per chat. Claiming used to scan every pending row to find a chat
-- whose oldest row may be sent now: about 1.3 ms at 7,000 rows, on every claim, which under a
-- backlog saturated the database. Now a claim reads an index of due marks, then that chat's
-- oldest pending row.
--
-- `outbox_due` is insert-only for enqueuers: each row enqueued adds a mark "this chat may be
-- due at". Enqueuing never updates a shared row, so transactions that enqueue to several
-- chats never wait on each other (and cannot deadlock). Marks are removed only by the worker
-- holding the chat, which then reads the chat's oldest row and marks it again if rows remain.
-- A mark may be early (the worker then marks the right time); a chat with pending rows always
-- has a mark.
-- Channels and groups come first among the due chats: their pace is 20 messages a minute, so
-- a channel post held behind a burst of private notices would lose its slot for nothing.
CREATE TABLE outbox_due (
    chat     text NOT NULL,
    due_at   timestamptz NOT NULL,
    priority smallint NOT NULL  -- 0: a channel or group; 1: a private chat
);
CREATE INDEX outbox_due_at_idx ON outbox_due (priority, due_at);
CREATE INDEX outbox_due_chat_idx ON outbox_due (chat);

-- Telegram's pace per chat (a GCRA: the chat may receive again from ready_at), written only by
-- the worker holding the chat; the row '*' is the pace of the whole bot.
ALTER TABLE delivery_pace RENAME TO outbox_chats;
ALTER TABLE outbox_chats ALTER COLUMN tat SET DEFAULT now();
ALTER TABLE outbox_chats ALTER COLUMN ready_at SET DEFAULT now();

INSERT INTO outbox_due (chat, due_at, priority)
SELECT chat, min(not_before), CASE WHEN chat ~ '^[0-9]+$' THEN 1 ELSE 0 END
  FROM outbox WHERE status = 'pending' GROUP BY chat;

-- A chat's oldest pending row stays an index lookup (outbox_chat_idx); the old claim's index
-- over all pending rows by time is not used any more.
DROP INDEX outbox_due_idx;
