-- The photos of an album reach webhook instances as separate updates (one `media_group_id`,
-- https://core.telegram.org/bots/api#message), and the load balancer spreads them over the
-- instances. So that the album is answered once, every instance writes its parts here; the
-- one whose part created the `albums` row collects them all and feeds them in order
-- (telegram/intake.py). Rows live for the album's window (about a second) and are deleted when
-- fed; those of an instance that died meanwhile are pruned by the schedules.
CREATE TABLE albums (
    media_group_id  text PRIMARY KEY,
    -- The update whose instance collects the album (the first part to arrive).
    first_update    bigint NOT NULL,
    -- When the latest part arrived: the album is whole once no part came for the window.
    last_part_at    timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE album_parts (
    media_group_id  text NOT NULL,
    update_id       bigint NOT NULL,
    message_id      bigint NOT NULL,
    -- The update as Telegram sent it, for the instance that feeds the album.
    body            text NOT NULL,
    arrived_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (media_group_id, update_id)
);
CREATE INDEX album_parts_arrived_idx ON album_parts (arrived_at);
