"""`vodiy-bozor check`'s catalogue line against real listeners: the catalogue, nothing, and a
server that is something else."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from tests.conftest import TOKEN
from tests.e2e.test_catalogue import free_port
from tests.fake_telegram import FakeTelegram
from tests.webapp.catalogue_setup import serve_catalogue
from vodiy_bozor.config import Settings
from vodiy_bozor.delivery.photo_store import LocalPhotoStore
from vodiy_bozor.runtime.check import _catalogue

BASE = {"API_TOKEN": TOKEN, "CHANNEL_ID": "@vodiy_test", "ADMIN_IDS": "9001"}


async def test_the_check_says_whether_the_catalogue_answers(
    db_url: str, tmp_path: Path, fake: FakeTelegram
) -> None:
    ok, detail = await _catalogue(Settings.from_env(BASE))
    assert ok
    assert detail.startswith("off")

    async with serve_catalogue(db_url, LocalPhotoStore(tmp_path)) as served:
        port = str(urlsplit(served.url).port)
        local = Settings.from_env(
            {**BASE, "WEBAPP_PORT": port, "WEBAPP_URL": "https://x.test/catalogue"}
        )
        assert local.webapp is not None
        ok, detail = await _catalogue(local)
        # The listener answers; the public address (no proxy in a test) does not.
        assert not ok
        assert f"answers at http://127.0.0.1:{port}/catalogue/ but not at https://x.test" in detail

    async with serve_catalogue(db_url, LocalPhotoStore(tmp_path), prefix="") as served:
        port = str(urlsplit(served.url).port)
        ok, detail = await _catalogue(Settings.from_env({**BASE, "WEBAPP_PORT": port}))
        assert ok
        assert (
            detail == f"answers at http://127.0.0.1:{port}/; no entry points (WEBAPP_URL not set)"
        )

    ok, detail = await _catalogue(Settings.from_env({**BASE, "WEBAPP_PORT": str(free_port())}))
    assert ok
    assert "not answering" in detail

    # Something else on the port: the fake Bot API.
    other = urlsplit(fake.url).port
    ok, detail = await _catalogue(Settings.from_env({**BASE, "WEBAPP_PORT": str(other)}))
    assert not ok
    assert "not the catalogue" in detail
