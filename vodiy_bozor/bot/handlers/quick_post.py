"""The quick post from the main menu: an ad sent whole, outside the dialog.

People in the valley's markets post an ad as one message: an album (or one photo) whose
caption says everything, or a text alone, often forwarded from another group. Sent to the
bot outside the dialog, it starts the ad dialog (`new_ad.py`, run by the step engine
`bot/dialog.py`, whose `ask` and handlers it calls) with the fields its text gave
(`assistant.reader.read_ad`); the dialog then asks only what is missing, with its usual
questions and rules, and shows the preview. Photos at the dialog's first step, or photos
with a caption at the photo step, are taken the same way by the dialog's own readers.

An album is handed over by the intake (`telegram/intake.py`) whole, its photos one after another
under the seller's lock: the first one starts the dialog (or is refused, once), the others
find the dialog already at its first step, whose reader takes them, and the last one moves
the dialog on. An album without a caption starts the dialog too, with its photos kept: a
seller who sends photos to a classifieds bot means to post them, and then gets the category
question instead of a "not understood" they would have to answer by sending them again.
"""

from __future__ import annotations

from dataclasses import replace

from aiogram import Router
from aiogram.filters import Filter, StateFilter
from aiogram.types import Message

from vodiy_bozor.assistant.reader import AdReading, read_ad
from vodiy_bozor.bot import keyboards
from vodiy_bozor.bot.dialog import TurnMiddleware, answer_message, ask
from vodiy_bozor.bot.draft import Draft
from vodiy_bozor.bot.filters import PrivateChat
from vodiy_bozor.bot.handlers.new_ad import (
    AD_DIALOG,
    FIRST,
    PREVIEW,
    AdTurn,
    reads_as_an_ad,
    refusal,
    someone_elses,
)
from vodiy_bozor.services.listings import Listings, SubmitRefused
from vodiy_bozor.telegram.intake import AlbumPart
from vodiy_bozor.texts import Translator


class HasPhoto(Filter):
    """A photo, or any item of an album: an album may mix photos and videos
    (https://core.telegram.org/bots/api#sendmediagroup) and is taken whole, whichever item
    comes first."""

    async def __call__(self, message: Message) -> bool:
        return bool(message.photo) or message.media_group_id is not None


class ReadsAsAnAd(Filter):
    """A text (not a command) that holds a whole ad; the handler gets the `reading`."""

    async def __call__(self, message: Message) -> bool | dict[str, AdReading]:
        text = message.text
        if text is None or text.startswith("/"):
            return False
        reading = read_ad(text)
        return {"reading": reading} if reads_as_an_ad(reading) else False


async def _may_start(message: Message, t: Translator, listings: Listings, turn: AdTurn) -> bool:
    """The dialog's rules for a new ad (bans, pending and daily limits), and the seller's
    own ads only; refused with the dialog's answers."""
    if someone_elses(message):
        await message.answer(t("ad-quick-not-own"), reply_markup=keyboards.main_menu(t))
        return False
    try:
        await listings.check_limits(turn.user_id)
    except SubmitRefused as refused:
        await message.answer(refusal(t, refused), reply_markup=keyboards.main_menu(t))
        return False
    return True


async def quick_photos(
    message: Message,
    t: Translator,
    listings: Listings,
    turn: AdTurn,
    album: AlbumPart | None = None,
) -> None:
    """Photos (one, or an album's) sent outside the dialog."""
    if album is not None and album.index > 0:
        # The album's first photo was refused (said once, then): had it started the dialog,
        # this one would have found the dialog at its first step.
        return
    if not await _may_start(message, t, listings, turn):
        return
    # The dialog's first step takes photos as an ad sent whole (`new_ad._whole_ad_photo`).
    started = Draft()
    await turn.drafts.move(turn.state, FIRST.state, started, since=None)
    await answer_message(message, t, replace(turn, draft=started), FIRST)


async def quick_text(
    message: Message, t: Translator, listings: Listings, turn: AdTurn, reading: AdReading
) -> None:
    """A text holding a whole ad, outside the dialog: its fields, then the photo question (or
    whatever comes first of what it did not say)."""
    if not await _may_start(message, t, listings, turn):
        return
    await ask(turn, PREVIEW, Draft().filled_from(reading, t.lang), fresh=True)


def setup() -> Router:
    router = Router(name="quick_post")
    router.message.filter(PrivateChat(), StateFilter(None))
    router.message.middleware(TurnMiddleware(AD_DIALOG))
    router.message.register(quick_photos, HasPhoto())
    router.message.register(quick_text, ReadsAsAnAd())
    return router
