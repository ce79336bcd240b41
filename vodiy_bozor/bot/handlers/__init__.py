"""Handlers translate between Telegram and the services (listings, moderation, buyers); they
hold no SQL."""
