"""Telegram's documented broadcast limits, as the fake enforces them when asked."""

from __future__ import annotations

from collections import deque

from .core import ChatState


class _Limits:
    """Telegram's documented broadcast limits (https://core.telegram.org/bots/faq).

    "avoid sending more than one message per second" to a chat (we allow a burst of 3),
    "not more than 20 messages per minute" to a group/channel, "about 30 messages per second"
    overall.
    """

    def __init__(self) -> None:
        self.private_burst = 3.0
        self.private_rate = 1.0
        self.channel_per_minute = 20
        self.global_per_second = 30
        self._buckets: dict[int, tuple[float, float]] = {}  # chat -> (tokens, at)
        self._channel: dict[int, deque[float]] = {}
        self._global: deque[float] = deque()

    def _tokens(self, chat_id: int, now: float) -> float:
        tokens, at = self._buckets.get(chat_id, (self.private_burst, now))
        return min(self.private_burst, tokens + (now - at) * self.private_rate)

    @staticmethod
    def _window(times: deque[float], now: float, span: float) -> deque[float]:
        while times and times[0] <= now - span:
            times.popleft()
        return times

    def wait_needed(self, chat: ChatState, count: int, now: float) -> float:
        """Seconds until ``count`` messages to ``chat`` are allowed (0 if allowed now)."""
        waits = [0.0]
        # One request larger than a whole window (copyMessages of 100) waits for a full one.
        count = min(count, self.global_per_second)
        recent = self._window(self._global, now, 1.0)
        if len(recent) + count > self.global_per_second:
            waits.append(recent[len(recent) + count - self.global_per_second - 1] + 1.0 - now)
        if chat.kind == "channel":
            count = min(count, self.channel_per_minute)
            posts = self._window(self._channel.setdefault(chat.id, deque()), now, 60.0)
            if len(posts) + count > self.channel_per_minute:
                waits.append(posts[len(posts) + count - self.channel_per_minute - 1] + 60.0 - now)
        else:
            tokens = self._tokens(chat.id, now)
            if tokens < 1.0:  # an album to a private chat counts as one send
                waits.append((1.0 - tokens) / self.private_rate)
        return max(waits)

    def consume(self, chat: ChatState, count: int, now: float) -> None:
        self._global.extend([now] * count)
        if chat.kind == "channel":
            self._channel.setdefault(chat.id, deque()).extend([now] * count)
        else:
            self._buckets[chat.id] = (self._tokens(chat.id, now) - 1.0, now)
