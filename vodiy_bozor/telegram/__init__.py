"""Talking to Telegram within its limits: the session, pacing, the intake of updates and the
FSM storage."""
