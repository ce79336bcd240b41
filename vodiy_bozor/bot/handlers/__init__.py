"""Handlers translate between Telegram and the ad lifecycle; they hold no SQL."""
