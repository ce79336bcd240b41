"""Waiting between tries: one capped exponential backoff for every retry loop of the bot, and a
sleep that a stop ends at once."""

from __future__ import annotations

import asyncio
import contextlib
import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Backoff:
    """`base` seconds after the first failure, doubling with each further one, never more than
    `cap`. With `jitter` (a fraction), each delay is spread by ± that much, so things that
    failed together do not all retry together."""

    base: float
    cap: float
    jitter: float = 0.0

    def __post_init__(self) -> None:
        if self.base <= 0 or self.cap < self.base:
            raise ValueError("need 0 < base <= cap")

    def delay(self, failures: int) -> float:
        """Seconds to wait after `failures` earlier failures (0: this is the first)."""
        value = min(self.cap, self.base * 2.0 ** min(failures, 30))
        if self.jitter:
            spread = random.uniform(1 - self.jitter, 1 + self.jitter)  # noqa: S311 - not secret
            value = min(self.cap, value * spread)
        return value


async def pause(stop: asyncio.Event, seconds: float) -> bool:
    """Sleep `seconds` unless `stop` is set first; True when stopped."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
    return stop.is_set()
