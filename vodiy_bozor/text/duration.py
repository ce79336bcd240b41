"""Durations in settings: `45s`, `30m`, `2h`, `3d`, `1h30m`, `90`.

Pure: no I/O; the pattern is compiled once at import time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from vodiy_bozor.text.errors import ReadError

__all__ = ["MAX_DURATION_SECONDS", "DurationError", "parse_duration"]


# A year. Intervals in settings are minutes to days; anything longer is a typo (`30d` → `300d`),
# and absurd values would overflow datetime arithmetic further on.
MAX_DURATION_SECONDS: Final = 365 * 24 * 3600

_DURATION_FORMS: Final = (
    "use a whole number of seconds (90) or a number with a unit: "
    "45s, 30m, 2h, 3d, or combined like 1h30m"
)
_DURATION_UNITS: Final = re.compile(
    r"""
    (?:(?P<d>[0-9]+)\s*(?:d|days?)(?![a-z])\s*)?
    (?:(?P<h>[0-9]+)\s*(?:h|hrs?|hours?)(?![a-z])\s*)?
    (?:(?P<m>[0-9]+)\s*(?:m|mins?|minutes?)(?![a-z])\s*)?
    (?:(?P<s>[0-9]+)\s*(?:s|secs?|seconds?)(?![a-z])\s*)?
    """,
    re.VERBOSE | re.IGNORECASE,
)
_BARE_SECONDS: Final = re.compile(r"[0-9]+")
_UNIT_SECONDS: Final[Mapping[str, int]] = MappingProxyType(
    {"d": 86_400, "h": 3_600, "m": 60, "s": 1}
)


class DurationError(ReadError):
    """A duration (a setting's value) that was not accepted; the message says why, for a human."""


def parse_duration(text: str) -> int:
    """Seconds in a duration such as `45s`, `30m`, `2h`, `3d`, `1h30m`, `1d 12h` or `90`.

    Units are case-insensitive and may be spelled out (`min`, `hours`, `days`); combined forms go
    from the largest unit to the smallest, each unit at most once. Raises DurationError with a
    message meant for a human (it is shown after the setting's name) when the text is empty,
    not a duration, zero, negative, or longer than a year.
    """
    stripped = text.strip()
    if not stripped:
        raise DurationError(f"is empty; {_DURATION_FORMS}")
    if len(stripped) > 64:
        raise DurationError(f"is too long to be a duration; {_DURATION_FORMS}")
    if stripped[0] in "-\u2212":
        raise DurationError(f"must be positive, got {stripped!r}; {_DURATION_FORMS}")
    if _BARE_SECONDS.fullmatch(stripped):
        seconds = int(stripped)
    else:
        match = _DURATION_UNITS.fullmatch(stripped)
        if match is None or not any(match.groupdict().values()):
            raise DurationError(f"{stripped!r} is not a duration; {_DURATION_FORMS}")
        seconds = sum(
            int(value) * _UNIT_SECONDS[unit]
            for unit, value in match.groupdict().items()
            if value is not None
        )
    if seconds == 0:
        raise DurationError(f"must be greater than zero, got {stripped!r}; {_DURATION_FORMS}")
    if seconds > MAX_DURATION_SECONDS:
        raise DurationError(f"{stripped!r} is longer than a year (365d); {_DURATION_FORMS}")
    return seconds
