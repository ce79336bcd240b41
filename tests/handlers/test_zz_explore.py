from __future__ import annotations

from typing import Any

import asyncpg

from tests.fake_telegram import FakeTelegram
from tests.handlers.conftest import DispatcherBot
from tests.quick_post_steps import expected_questions, walk_to_preview
from vodiy_bozor.models import Lang

CASES = [
    "Сотилади, яхши ҳолатда, нархи 500 минг, Асака, тел 90 123 45 67",
    "Sotiladi Malibu 2, 2018, kelishiladi, Andijon shahar, 93 123 45 67",
    "iPhone 14 Pro Max 256gb, narxi 1 200 000 000 so'm, Namangan, 901234567",
    "Продаю диван, б/у, цена 50 долларов, Фергана, Кувасай, +998 90 123 45 67",
    "Кир ювиш машинаси Samsung 7 кг, ишлаган, бепул бериб юбораман, Марғилон, 90 555 44 33",
]


async def test_explore(bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]) -> None:
    out = []
    for i, text in enumerate(CASES):
        p = fake.user(900 + i, "U", language_code="uz")
        await p.send("/start")
        await p.wait_message()
        await p.send_album(2, caption=text)
        out.append(f"===== {text} expected={expected_questions(text)}")
        try:
            w = await walk_to_preview(p, Lang.UZ_CYRL)
            out.append(f"asked {w.asked}")
        except AssertionError as ex:
            out.append(f"FAIL {str(ex)[:300]}")
        for msg in p.messages[1:]:
            out.append(f"--- {msg.content!r} buttons={msg.buttons}")
    with open("/tmp/qa1x/explore.txt", "w") as f:
        f.write("\n".join(out))
