"""The catalogue: a Telegram Mini App where buyers look at photos, filter, keep favourites and
reach the seller (https://core.telegram.org/bots/webapps).

`server.Catalogue` adds its routes to an aiohttp application: the webhook server's in webhook
mode, a listener of its own (`start_listener`) in polling mode. `auth` checks the init data
Telegram signs for the page.
"""

from __future__ import annotations

import logging

from aiohttp import web

from vodiy_bozor.webapp.server import Catalogue

log = logging.getLogger(__name__)

__all__ = ["Catalogue", "start_listener"]


async def start_listener(catalogue: Catalogue, prefix: str, host: str, port: int) -> web.AppRunner:
    """Serve the catalogue on host:port (polling mode); the caller cleans the runner up."""
    app = web.Application(client_max_size=64 * 1024)
    catalogue.add_routes(app, prefix)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=5.0)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except BaseException:
        await runner.cleanup()
        raise
    log.info("catalogue listening on %s:%d%s/", host, port, prefix)
    return runner
