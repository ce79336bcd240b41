"""Telegram's numbers, written once: the rate limits both pacers draw on (the handlers' session,
`telegram/pacing.py`, and the outbox, `delivery/outbox.py`) and the sizes of what may be sent.

Each pacer adds its own margin to these figures (say why where it does): Telegram counts calls
as they arrive, and calls that left a second apart may arrive closer together.
"""

from __future__ import annotations

from typing import Final

# Rate limits: https://core.telegram.org/bots/faq#my-bot-is-hitting-limits
PRIVATE_PER_SECOND: Final = 1  # messages a second to one private chat ...
PRIVATE_BURST: Final = 3  # ... after a short burst of this many (tolerated, not promised)
GROUP_PER_MINUTE: Final = 20  # messages a minute to one group or channel
OVERALL_PER_SECOND: Final = 30  # messages a second, all chats together (bulk notifications)

# Sizes: https://core.telegram.org/bots/api#sendphoto, #sendmediagroup
CAPTION_LENGTH: Final = 1024  # characters of a photo's (or an album item's) caption
ALBUM_SIZE: Final = 10  # items in one media group (2-10); in a group or channel each counts
START_PAYLOAD_LENGTH: Final = 64  # https://core.telegram.org/bots/features#deep-linking

# A button press must be answered within about 15 seconds, or the answer fails with "query
# is too old" (https://core.telegram.org/bots/api#answercallbackquery).
CALLBACK_ANSWER_WINDOW: Final = 15.0
