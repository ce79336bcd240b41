"""The one error base of the readers: whatever a reader refuses is a ReadError."""

from __future__ import annotations

__all__ = ["ReadError", "shorten"]


class ReadError(ValueError):
    """Typed text that a reader (price, price range, phone, duration) did not accept.

    A ValueError, so callers that caught ValueError before the readers had one base still do.
    """


def shorten(text: str, limit: int = 80) -> str:
    """What an error message quotes of the input: a pasted essay should not flood the logs."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
