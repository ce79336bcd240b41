-- The updates webhook instances have taken, so that an update Telegram delivers again (it
-- resends when it does not see our 200, https://core.telegram.org/bots/api#setwebhook) is
-- handled once, whichever instance it reaches. Kept a day, pruned by the schedules.
CREATE TABLE handled_updates (
    update_id  bigint PRIMARY KEY,
    taken_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX handled_updates_taken_idx ON handled_updates (taken_at);
