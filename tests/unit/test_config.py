"""Settings: names, defaults, and one plain error per problem, never showing the token."""

from __future__ import annotations

from pathlib import Path

import pytest

from vodiy_bozor.config import ConfigError, Secret, Settings, load_settings

TOKEN = "123456:AAHsecret-token-value_xyz"
BASE = {"API_TOKEN": TOKEN, "CHANNEL_ID": "@vodiy_bozor", "ADMIN_IDS": "111, 222"}


def settings(**changes: str) -> Settings:
    env = {**BASE, **changes}
    return Settings.from_env({k: v for k, v in env.items() if v != "<unset>"})


def test_defaults() -> None:
    s = settings()
    assert s.api_token.get() == TOKEN
    assert s.channel_id == "@vodiy_bozor"
    assert s.admin_ids == frozenset({111, 222})
    assert s.database_url is None
    assert s.uses_embedded_db
    assert s.data_dir == Path("data")
    assert s.telegram_api_url == "https://api.telegram.org"
    assert s.repost_interval == 30 * 60
    assert s.sold_check_interval == 3 * 24 * 3600
    assert s.webhook is None
    assert s.s3 is None
    assert s.log_level == "INFO"
    assert s.metrics is None  # no listener unless asked for
    assert s.webapp is None  # no catalogue, no entry points


def test_every_setting_is_read() -> None:
    s = settings(
        BOT_NAME="@vodiy_bot",
        CHANNEL_ID="-1001234567890",
        DATABASE_URL="postgresql://u:dbpass@db:5432/vodiy",
        DATA_DIR="/var/lib/vodiy",
        TELEGRAM_API_URL="http://127.0.0.1:8081/",
        AWS_ACCESS_KEY_ID="AKIA",
        AWS_SECRET_ACCESS_KEY="s3secret",
        S3_BUCKET="photos",
        S3_ENDPOINT_URL="http://127.0.0.1:9000",
        AWS_REGION="us-east-1",
        REPOST_INTERVAL="2m",
        SOLD_CHECK_INTERVAL="3d",
        WEBHOOK_URL="https://bot.example.uz/tg",
        WEBHOOK_SECRET="hook_secret-1",
        WEBHOOK_HOST="0.0.0.0",
        WEBHOOK_PORT="8443",
        LOG_LEVEL="debug",
        METRICS_HOST="0.0.0.0",
        METRICS_PORT="9108",
    )
    assert s.bot_name == "vodiy_bot"
    assert s.channel_id == -1001234567890
    assert s.database_url == Secret("postgresql://u:dbpass@db:5432/vodiy")
    assert s.data_dir == Path("/var/lib/vodiy")
    assert s.telegram_api_url == "http://127.0.0.1:8081"
    assert s.s3 is not None
    assert s.s3.bucket == "photos"
    assert s.s3.region == "us-east-1"
    assert s.s3.endpoint_url == "http://127.0.0.1:9000"
    assert s.repost_interval == 120
    assert s.sold_check_interval == 3 * 86400
    assert s.webhook is not None
    assert s.webhook.port == 8443
    assert s.webhook.host == "0.0.0.0"
    assert s.log_level == "DEBUG"
    assert s.metrics is not None
    assert (s.metrics.host, s.metrics.port) == ("0.0.0.0", 9108)
    # Everything secret is known to the log redaction.
    assert {TOKEN, "dbpass", "s3secret", "hook_secret-1"} <= set(s.secrets)


@pytest.mark.parametrize(
    ("changes", "variable"),
    [
        ({"API_TOKEN": "<unset>"}, "API_TOKEN"),
        ({"API_TOKEN": "   "}, "API_TOKEN"),
        ({"API_TOKEN": "not-a-token"}, "API_TOKEN"),
        ({"API_TOKEN": "abc:def"}, "API_TOKEN"),
        ({"CHANNEL_ID": "<unset>"}, "CHANNEL_ID"),
        ({"CHANNEL_ID": "https://t.me/x"}, "CHANNEL_ID"),
        ({"CHANNEL_ID": "-42"}, "CHANNEL_ID"),
        ({"ADMIN_IDS": "<unset>"}, "ADMIN_IDS"),
        ({"ADMIN_IDS": "12,abc"}, "ADMIN_IDS"),
        ({"ADMIN_IDS": "-5"}, "ADMIN_IDS"),
        ({"ADMIN_IDS": " , "}, "ADMIN_IDS"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"TELEGRAM_API_URL": "ftp://x"}, "TELEGRAM_API_URL"),
        ({"REPOST_INTERVAL": "soon"}, "REPOST_INTERVAL"),
        ({"REPOST_INTERVAL": "0"}, "REPOST_INTERVAL"),
        ({"REPOST_INTERVAL": "59s"}, "REPOST_INTERVAL"),
        ({"METRICS_PORT": "metrics"}, "METRICS_PORT"),
        ({"SOLD_CHECK_INTERVAL": "-3d"}, "SOLD_CHECK_INTERVAL"),
        ({"S3_ENDPOINT_URL": "http://x:9000"}, "S3_BUCKET"),
        ({"S3_BUCKET": "b", "AWS_ACCESS_KEY_ID": "k"}, "AWS_SECRET_ACCESS_KEY"),
        ({"WEBHOOK_URL": "https://x/y"}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_URL": "https://x/y", "WEBHOOK_SECRET": "bad secret!"}, "WEBHOOK_SECRET"),
        (
            {"WEBHOOK_URL": "https://x/y", "WEBHOOK_SECRET": "s", "WEBHOOK_PORT": "99999"},
            "WEBHOOK_PORT",
        ),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL"),
        ({"PACE_CALLS": "sometimes"}, "PACE_CALLS"),
        ({"BOT_NAME": "no spaces allowed"}, "BOT_NAME"),
        ({"WEBAPP_URL": "http://shop.example.uz/"}, "WEBAPP_URL"),  # Telegram needs https
        ({"WEBAPP_URL": "https://shop.example.uz/#x"}, "WEBAPP_URL"),
        ({"WEBAPP_PORT": "shop"}, "WEBAPP_PORT"),
    ],
)
def test_invalid_settings_name_the_variable(changes: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError) as caught:
        settings(**changes)
    assert caught.value.variable == variable
    assert str(caught.value).startswith(f"{variable}: ")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "token", ["123:has space" + "z" * 30, "99999" + "x" * 40, "abc:" + "y" * 40]
)
def test_token_never_in_error(token: str) -> None:
    with pytest.raises(ConfigError) as caught:
        settings(API_TOKEN=token)
    message = str(caught.value)
    assert token not in message
    assert not any(run * 20 in message for run in "zxy")


def test_secret_hides_itself() -> None:
    s = settings()
    for text in (repr(s), str(s), f"{s.api_token}", repr(s.api_token)):
        assert TOKEN not in text


def test_dotenv_fills_in_and_environment_wins(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        f"API_TOKEN={TOKEN}\nCHANNEL_ID=@from_dotenv\nADMIN_IDS=5\nLOG_LEVEL=WARNING\n"
    )
    s = load_settings({"CHANNEL_ID": "@from_env"}, dotenv=dotenv)
    assert s.channel_id == "@from_env"
    assert s.admin_ids == frozenset({5})
    assert s.log_level == "WARNING"


def test_missing_dotenv_is_fine(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="API_TOKEN"):
        load_settings({}, dotenv=tmp_path / "absent.env")


def test_a_repost_interval_shorter_than_the_channel_takes_is_refused_in_one_line() -> None:
    with pytest.raises(ConfigError) as caught:
        settings(REPOST_INTERVAL="30s")
    assert str(caught.value) == (
        "REPOST_INTERVAL: must be at least 60s: the channel takes 20 messages a minute, "
        "and one repost of a 10-photo ad alone takes 30s of that"
    )
    assert settings(REPOST_INTERVAL="1m").repost_interval == 60


def test_the_catalogue_settings() -> None:
    s = settings(WEBAPP_URL="https://shop.example.uz/catalogue/", WEBAPP_PORT="8090")
    assert s.webapp is not None
    assert (s.webapp.url, s.webapp.host, s.webapp.port) == (
        "https://shop.example.uz/catalogue/",
        "127.0.0.1",
        8090,
    )
    assert s.webapp.path == "/catalogue"
    # Webhook mode serves it on the webhook server: the URL alone is enough.
    only_url = settings(WEBAPP_URL="https://shop.example.uz")
    assert only_url.webapp is not None
    assert (only_url.webapp.port, only_url.webapp.path) == (None, "")
    local = settings(WEBAPP_PORT="8090", WEBAPP_HOST="0.0.0.0")
    assert local.webapp is not None
    assert (local.webapp.url, local.webapp.host) == (None, "0.0.0.0")
