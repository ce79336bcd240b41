"""A seller walking through the ad dialog, step by step: shared by the handler tests and the
end-to-end tests (each step waits for the bot's next question)."""

from __future__ import annotations

from typing import Any

import asyncpg

from tests.fake_telegram import Person

DESCRIPTION = "Самсунг A52, 128 GB, <қутиси> & зарядкаси бор. Ҳолати зўр!"


async def state_of(db: asyncpg.Connection[Any], user_id: int) -> str | None:
    value: str | None = await db.fetchval(
        "SELECT state FROM fsm_states WHERE user_id = $1", user_id
    )
    return value


async def draft(db: asyncpg.Connection[Any], user_id: int) -> dict[str, Any]:
    value = await db.fetchval("SELECT data FROM fsm_states WHERE user_id = $1", user_id)
    return dict(value) if value else {}


async def start_dialog(person: Person) -> None:
    await person.send("/new")
    await person.wait_message(contains="1/7")


async def reach_photos(person: Person) -> None:
    await start_dialog(person)
    await person.press("📱 Телефонлар")
    await person.wait_message(contains="2/7")


async def reach_description(person: Person, photos: int = 1) -> None:
    await reach_photos(person)
    if photos == 1:
        await person.send_photo()
    else:
        await person.send_album(photos)
    await person.wait_message(contains="расм қабул қилинди")
    await person.press("✅ Тайёр")
    await person.wait_message(contains="3/7")


async def reach_price(person: Person) -> None:
    await reach_description(person)
    await person.send(DESCRIPTION)
    await person.wait_message(contains="4/7")


async def reach_region(person: Person) -> None:
    await reach_price(person)
    await person.send("12,5 млн")
    await person.wait_message(contains="5/7")


async def reach_phone(person: Person) -> None:
    await reach_region(person)
    await person.press("Фарғона")
    await person.wait_message(contains="Туман")
    await person.press("⏭ Ўтказиб юбориш")
    await person.wait_message(contains="6/7")


async def reach_preview(person: Person) -> None:
    await reach_phone(person)
    await person.send("90 123-45-67")
    await person.wait_message(contains="7/7")
