"""Chromium for the catalogue's browser tests and benchmark: Debian's package driven by
Playwright (Playwright's own browser download is not used). CHROMIUM_PATH overrides where
the browser is; `.ci/run` installs the `chromium` package when it is missing."""

from __future__ import annotations

import json
import os
from typing import Final
from urllib.parse import quote

from playwright.async_api import Browser, Page, Playwright, Route

CHROMIUM_PATH: Final = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Root in CI and in the sessions: Chromium's sandbox needs an unprivileged user.
ARGS: Final = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
THEME: Final = {
    "bg_color": "#17212b",
    "text_color": "#f5f5f5",
    "hint_color": "#708499",
    "link_color": "#6ab3f3",
    "button_color": "#5288c1",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#232e3c",
}
# What telegram-web-app.js gives a page, enough for ours; tests never reach telegram.org.
TELEGRAM_STAND_IN: Final = (
    "window.Telegram={WebApp:{ready(){window.__ready=true},expand(){},"
    "BackButton:{show(){},hide(){},onClick(){}}}};"
)


async def launch(playwright: Playwright) -> Browser:
    return await playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=ARGS)


def launch_url(page_url: str, init_data: str, *, theme: dict[str, str] | None = None) -> str:
    """The page's address as a Telegram client opens it: the launch parameters in the hash
    (https://core.telegram.org/bots/webapps#initializing-mini-apps)."""
    params = {
        "tgWebAppData": init_data,
        "tgWebAppVersion": "8.0",
        "tgWebAppPlatform": "android",
        "tgWebAppThemeParams": json.dumps(theme or THEME, separators=(",", ":")),
    }
    return page_url + "#" + "&".join(f"{k}={quote(v, safe='')}" for k, v in params.items())


async def stand_in_for_telegram(page: Page, *, present: bool = True) -> None:
    """Serve a stand-in for telegram-web-app.js, or make it fail to load (`present=False`)."""

    async def answer(route: Route) -> None:
        if present:
            await route.fulfill(body=TELEGRAM_STAND_IN, content_type="text/javascript")
        else:
            await route.abort()

    await page.route("**/telegram-web-app.js*", answer)
