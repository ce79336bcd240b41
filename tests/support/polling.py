"""Waiting for a condition that only the database (or a bucket) can tell.

The fake Bot API wakes its waiters on every change; the database cannot, so these conditions
are checked at a short interval until a deadline. The interval is how often to look, not a
guess at how long something takes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def wait_for(
    condition: Callable[[], Awaitable[T]],
    *,
    within: float = 10.0,
    interval: float = 0.05,
    what: str = "a condition",
) -> T:
    """Return the condition's first truthy result; fail after `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        result = await condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {within}s waiting for {what}")
        await asyncio.sleep(interval)
