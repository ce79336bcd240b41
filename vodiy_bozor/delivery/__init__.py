"""Delivering what the bot sends outside the conversation: the outbox worker, the courier that
renders each row, the photo archive and the photo store."""
