"""Settings from the environment (and a `.env` file in the working directory), nothing else.

Every problem is reported as a `ConfigError` naming the variable and what is wrong with it, so
the command line can print one plain line and exit with code 2. The bot token is never part of
any message: it is kept in a `Secret` whose repr hides it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from vodiy_bozor.text.duration import parse_duration

DEFAULT_API_URL = "https://api.telegram.org"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

# Telegram usernames: 5-32 characters, letters, digits and underscores, starting with a letter.
_CHANNEL_USERNAME = re.compile(r"^@[A-Za-z][A-Za-z0-9_]{3,31}$")
# Supergroups and channels have ids of the form -100XXXXXXXXXX.
_CHANNEL_NUMERIC = re.compile(r"^-100\d{5,15}$")
# https://core.telegram.org/bots/api#setwebhook: secret_token is 1-256 of A-Z a-z 0-9 _ -
_WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")

# The shortest REPOST_INTERVAL. Telegram takes 20 messages a minute in a channel, and an album
# counts as each of its photos (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits):
# one repost of a 10-photo ad takes 30 s of the channel's pace. At one repost a minute, reposts
# use at most half of the channel; the other half stays for first posts and "sold" edits,
# which go first. Shorter intervals would queue reposts faster than the channel takes them.
MIN_REPOST_INTERVAL = 60


class ConfigError(Exception):
    """A setting is missing or invalid. `str()` is the one line shown to the operator."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable
        self.problem = problem


class Secret:
    """A string that never shows itself in reprs, f-strings or logs by accident."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True, slots=True)
class S3Settings:
    bucket: str
    endpoint_url: str | None
    region: str | None
    access_key_id: str | None
    secret_access_key: Secret | None


@dataclass(frozen=True, slots=True)
class WebhookSettings:
    url: str
    secret: Secret
    host: str
    port: int


@dataclass(frozen=True, slots=True)
class MetricsSettings:
    host: str
    port: int


@dataclass(frozen=True, slots=True)
class WebAppSettings:
    """The catalogue Mini App. `url`: its public https address (switches the bot's entry
    points on); `host`/`port`: its own listener in polling mode (webhook mode serves it on the
    webhook server)."""

    url: str | None
    host: str
    port: int | None

    @property
    def path(self) -> str:
        """The path prefix the catalogue is served under ("" for the root)."""
        return urlsplit(self.url).path.rstrip("/") if self.url else ""


@dataclass(frozen=True, slots=True)
class Settings:
    api_token: Secret
    channel_id: int | str
    admin_ids: frozenset[int]
    bot_name: str | None = None
    database_url: Secret | None = None
    data_dir: Path = Path("data")
    telegram_api_url: str = DEFAULT_API_URL
    s3: S3Settings | None = None
    repost_interval: int = 30 * 60
    sold_check_interval: int = 3 * 24 * 3600
    webhook: WebhookSettings | None = None
    log_level: str = "INFO"
    # The /metrics listener of a polling instance (None: off; webhook instances serve /metrics
    # on their webhook server).
    metrics: MetricsSettings | None = None
    # Whether the handlers' calls are paced within Telegram's limits (bot/pacing.py). Always
    # on against Telegram; off only to measure the bot's own cost against a fake Bot API.
    pace_calls: bool = True
    # Paid promotion in Telegram Stars (None: that promotion is not offered) and how many
    # lifts may start in any hour, so the channel does not become an advertisement board.
    lift_stars: int | None = None
    pin_stars: int | None = None
    lifts_per_hour: int = 3
    # The catalogue Mini App (None: neither WEBAPP_URL nor WEBAPP_PORT is set).
    webapp: WebAppSettings | None = None
    secrets: tuple[str, ...] = field(default=(), repr=False)

    @property
    def uses_embedded_db(self) -> bool:
        return self.database_url is None

    @property
    def channel_display(self) -> str:
        return str(self.channel_id)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Build settings from a mapping of environment variables; raise `ConfigError`."""
        get = _Reader(env)

        token = get.required("API_TOKEN")
        _check_token(token)

        admin_ids = _parse_admin_ids(get.required("ADMIN_IDS"))
        channel_id = _parse_channel(get.required("CHANNEL_ID"))

        bot_name = get.optional("BOT_NAME")
        if bot_name is not None:
            bot_name = bot_name.removeprefix("@")
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{3,31}", bot_name):
                raise ConfigError("BOT_NAME", "must be the bot's username without '@'")

        database_url = get.optional("DATABASE_URL")
        if database_url is not None and urlsplit(database_url).scheme not in (
            "postgres",
            "postgresql",
        ):
            raise ConfigError("DATABASE_URL", "must be a postgresql:// URL")

        api_url = get.optional("TELEGRAM_API_URL") or DEFAULT_API_URL
        _check_http_url("TELEGRAM_API_URL", api_url)

        s3 = _parse_s3(get)
        webhook = _parse_webhook(get)
        metrics = _parse_metrics(get)
        webapp = _parse_webapp(get)
        repost_interval = get.duration("REPOST_INTERVAL", 30 * 60)
        if repost_interval < MIN_REPOST_INTERVAL:
            raise ConfigError(
                "REPOST_INTERVAL",
                f"must be at least {MIN_REPOST_INTERVAL}s: the channel takes 20 messages a "
                "minute, and one repost of a 10-photo ad alone takes 30s of that",
            )

        log_level = (get.optional("LOG_LEVEL") or "INFO").upper()
        if log_level not in LOG_LEVELS:
            raise ConfigError("LOG_LEVEL", "must be one of " + ", ".join(LOG_LEVELS))

        pace = (get.optional("PACE_CALLS") or "on").lower()
        if pace not in ("on", "off"):
            raise ConfigError("PACE_CALLS", "must be on or off")

        lift_stars = _stars(get, "LIFT_STARS")
        pin_stars = _stars(get, "PIN_STARS")
        lifts_per_hour = _count(get, "LIFTS_PER_HOUR", 3, low=1, high=20)

        secrets = [token]
        if database_url:
            password = urlsplit(database_url).password
            if password:
                secrets.append(password)
        if s3 and s3.secret_access_key:
            secrets.append(s3.secret_access_key.get())
        if webhook:
            secrets.append(webhook.secret.get())

        return cls(
            api_token=Secret(token),
            channel_id=channel_id,
            admin_ids=admin_ids,
            bot_name=bot_name,
            database_url=Secret(database_url) if database_url else None,
            data_dir=Path(get.optional("DATA_DIR") or "data"),
            telegram_api_url=api_url.rstrip("/"),
            s3=s3,
            repost_interval=repost_interval,
            sold_check_interval=get.duration("SOLD_CHECK_INTERVAL", 3 * 24 * 3600),
            webhook=webhook,
            log_level=log_level,
            metrics=metrics,
            secrets=tuple(secrets),
            pace_calls=pace == "on",
            lift_stars=lift_stars,
            pin_stars=pin_stars,
            lifts_per_hour=lifts_per_hour,
            webapp=webapp,
        )


def load_settings(env: Mapping[str, str] | None = None, dotenv: Path | None = None) -> Settings:
    """Settings from the process environment, with `.env` filling in what is not set there."""
    merged: dict[str, str] = {}
    path = dotenv if dotenv is not None else Path(".env")
    if path.is_file():
        from dotenv import dotenv_values

        merged.update({k: v for k, v in dotenv_values(path).items() if v is not None})
    merged.update(os.environ if env is None else env)
    return Settings.from_env(merged)


class _Reader:
    def __init__(self, env: Mapping[str, str]) -> None:
        self._env = env

    def optional(self, name: str) -> str | None:
        value = self._env.get(name, "").strip()
        return value or None

    def required(self, name: str) -> str:
        value = self.optional(name)
        if value is None:
            raise ConfigError(name, "is required but not set")
        return value

    def duration(self, name: str, default: int) -> int:
        value = self.optional(name)
        if value is None:
            return default
        try:
            return parse_duration(value)
        except ValueError as exc:
            raise ConfigError(name, str(exc)) from None


# A bound on a price typed by hand into the settings (a typo of three zeros is refused at
# start-up rather than shown to sellers); Telegram checks its own limits on the invoice.
MAX_STARS = 10_000


def _stars(get: _Reader, name: str) -> int | None:
    raw = get.optional(name)
    if raw is None:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_STARS:
        raise ConfigError(name, f"must be a whole number of Stars from 1 to {MAX_STARS}")
    return int(raw)


def _count(get: _Reader, name: str, default: int, *, low: int, high: int) -> int:
    raw = get.optional(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ConfigError(name, f"must be a whole number from {low} to {high}")
    return int(raw)


def _check_token(token: str) -> None:
    # The same rule as aiogram's validate_token, checked here so the error names the variable.
    # The value itself is never echoed: it is a secret even when malformed.
    left, sep, right = token.partition(":")
    if not sep or not left.isdigit() or not right or any(c.isspace() for c in token):
        raise ConfigError("API_TOKEN", "does not look like a bot token (expected 123456:ABC-...)")


def _parse_admin_ids(raw: str) -> frozenset[int]:
    ids: set[int] = set()
    for part in raw.replace(";", ",").split(","):
        item = part.strip()
        if not item:
            continue
        if not item.isdigit() or int(item) <= 0:
            raise ConfigError(
                "ADMIN_IDS",
                f"{item!r} is not a Telegram user id; expected numbers separated by commas, "
                "e.g. 12345678,87654321",
            )
        ids.add(int(item))
    if not ids:
        raise ConfigError("ADMIN_IDS", "must list at least one Telegram user id")
    return frozenset(ids)


def _parse_channel(raw: str) -> int | str:
    if _CHANNEL_NUMERIC.match(raw):
        return int(raw)
    if _CHANNEL_USERNAME.match(raw):
        return raw
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{3,31}", raw):
        return "@" + raw
    raise ConfigError("CHANNEL_ID", "must be the channel's @username or its -100... id")


def _check_http_url(name: str, url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(name, "must be an http:// or https:// URL")


def _parse_s3(get: _Reader) -> S3Settings | None:
    bucket = get.optional("S3_BUCKET")
    endpoint = get.optional("S3_ENDPOINT_URL")
    if bucket is None:
        if endpoint is not None:
            raise ConfigError("S3_BUCKET", "is required when S3_ENDPOINT_URL is set")
        return None
    if endpoint is not None:
        _check_http_url("S3_ENDPOINT_URL", endpoint)
    key_id = get.optional("AWS_ACCESS_KEY_ID")
    secret = get.optional("AWS_SECRET_ACCESS_KEY")
    if (key_id is None) != (secret is None):
        missing = "AWS_SECRET_ACCESS_KEY" if secret is None else "AWS_ACCESS_KEY_ID"
        raise ConfigError(missing, "must be set together with the other AWS key")
    return S3Settings(
        bucket=bucket,
        endpoint_url=endpoint,
        region=get.optional("AWS_REGION"),
        access_key_id=key_id,
        secret_access_key=Secret(secret) if secret else None,
    )


def _port(name: str, raw: str) -> int:
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ConfigError(name, "must be a TCP port number (1-65535)")
    return int(raw)


def _parse_metrics(get: _Reader) -> MetricsSettings | None:
    port = get.optional("METRICS_PORT")
    if port is None:
        return None
    return MetricsSettings(
        host=get.optional("METRICS_HOST") or "127.0.0.1", port=_port("METRICS_PORT", port)
    )


def _parse_webhook(get: _Reader) -> WebhookSettings | None:
    url = get.optional("WEBHOOK_URL")
    if url is None:
        return None
    _check_http_url("WEBHOOK_URL", url)
    secret = get.optional("WEBHOOK_SECRET")
    if secret is None:
        raise ConfigError(
            "WEBHOOK_SECRET", "is required in webhook mode, so forged requests can be refused"
        )
    if not _WEBHOOK_SECRET.match(secret):
        raise ConfigError("WEBHOOK_SECRET", "must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
    return WebhookSettings(
        url=url,
        secret=Secret(secret),
        host=get.optional("WEBHOOK_HOST") or "127.0.0.1",
        port=_port("WEBHOOK_PORT", get.optional("WEBHOOK_PORT") or "8080"),
    )


def _parse_webapp(get: _Reader) -> WebAppSettings | None:
    url = get.optional("WEBAPP_URL")
    port = get.optional("WEBAPP_PORT")
    if url is None and port is None:
        return None
    if url is not None:
        parts = urlsplit(url)
        # Telegram opens Mini Apps only from https addresses
        # (https://core.telegram.org/bots/webapps#initializing-mini-apps).
        if parts.scheme != "https" or not parts.netloc or parts.query or parts.fragment:
            raise ConfigError("WEBAPP_URL", "must be an https:// URL without ?query or #fragment")
    return WebAppSettings(
        url=url,
        host=get.optional("WEBAPP_HOST") or "127.0.0.1",
        port=_port("WEBAPP_PORT", port) if port is not None else None,
    )
