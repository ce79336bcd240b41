"""The services, one per feature, each owning its state changes and its reads: listings (an
ad's life from submit to sold), moderation (bans, categories, cards, stats) and buyers
(search, saved searches, notices, digests, opens). Handlers declare the one they need; SQL
stays in `db/`."""
