from __future__ import annotations

from typing import Any

import asyncpg

from tests.fake_telegram import FakeTelegram
from tests.handlers.conftest import DispatcherBot
from tests.quick_post_steps import is_question, language_code, walk_to_preview
from vodiy_bozor.models import Lang

CASES = [
    (Lang.UZ_LATN, "album", "Sotiladi Chevrolet Cobalt 2020 yil, probeg 90 ming km, rangi oq.\nNarxi: 11 500$\nMarg'ilon shahri\nTel: 90 123 45 67\n#cobalt #sotiladi"),
    (Lang.UZ_LATN, "album", "Sotiladi Nexia 3 2019, ideal. Narxi 9800$ Qo'qon. +998931234567"),
    (Lang.RU, "album", "Продаю Nexia 3, 2019 йил, нархи 9800$, Фарғона шаҳри, тел +998 93 123 45 67"),
    (Lang.RU, "text", "Сдаю 2-комнатную квартиру, 3 этаж, 65 м². Цена 300$ в месяц. Андижан, Асака. Тел 90 111 22 33"),
    (Lang.UZ_CYRL, "photo", "Музлатгич Артел, янги, кафолати бор. Нархи 3 500 000 сўм. Наманган, Чуст. 📞 +998 94 555 66 77"),
    (Lang.UZ_CYRL, "album", "iPhone 11 64gb ideal holatda"),
]


async def test_explore(bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]) -> None:
    out = []
    for i, (lang, how, text) in enumerate(CASES):
        seller = fake.user(700 + i, "Sotuvchi", language_code=language_code(lang))
        await seller.send("/start")
        await seller.wait_message()
        if how == "album":
            await seller.send_album(3, caption=text)
        elif how == "photo":
            await seller.send_photo(caption=text)
        else:
            await seller.send(text)
        try:
            walk = await walk_to_preview(seller, lang)
        except AssertionError as e:
            out.append(f"FAIL {e}")
        out.append(f"===== {lang} {how}: {text}")
        for m in seller.messages:
            out.append(f"--- {m.content!r} buttons={m.buttons}")
    with open("/tmp/qa1x/explore.txt", "w") as f:
        f.write("\n".join(out))
