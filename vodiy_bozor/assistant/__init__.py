"""The moderation assistant: deterministic, offline hints for the admins (duplicates, prices,
scam and spam signals, the category) computed from the database. It never decides anything
by itself; `hints.compute_hints` is the entry point the bot calls at submit."""
