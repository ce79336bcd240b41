"""A 64-bit perceptual difference hash (dHash) of a photo, for finding re-uploaded pictures.

The picture is shrunk to 9×8 grey pixels and each bit says whether a pixel is brighter than its
right-hand neighbour. Re-compression, resizing and small crops move few bits; different photos
differ in about half of them. Written on Pillow alone rather than with `imagehash`, which pulls
numpy and scipy (tens of MB of resident memory) for this one computation:
https://www.hackerfactor.com/blog/index.php?/archives/529-Kind-of-Like-That.html

Decoding is the cost (a few ms for a phone photo), so it runs in the photo archive worker, not
while an admin waits for the card.
"""

from __future__ import annotations

import io
from typing import Final

HASH_BITS: Final = 64
# Hashes of the same picture after re-compression, resizing or a crop of a few percent stay
# within this Hamming distance; unrelated photos are around 32 apart.
NEAR_DISTANCE: Final = 10


class NotAnImage(ValueError):
    """The bytes are not a picture Pillow can read (or one too large to decode safely)."""


def dhash(data: bytes) -> int:
    """The photo's difference hash as a signed 64-bit integer (PostgreSQL's bigint).

    Raises NotAnImage when the bytes cannot be read as a picture.
    """
    # Imported here: Pillow adds about 10 MB to a process, and only the archive worker and the
    # evaluation need it.
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            # JPEG can decode straight to a reduced size: much less time and memory for a
            # 1280 px photo.
            # https://pillow.readthedocs.io/en/stable/reference/Image.html#PIL.Image.Image.draft
            image.draft("L", (64, 64))
            small = image.convert("L").resize((9, 8), Image.Resampling.BOX)
            pixels = small.tobytes()  # mode L: one byte per pixel, row by row
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError) as exc:
        # OSError also covers truncated files ("image file is truncated").
        raise NotAnImage(str(exc)) from exc
    value = 0
    for row in range(8):
        for col in range(8):
            left, right = pixels[row * 9 + col], pixels[row * 9 + col + 1]
            value = (value << 1) | (1 if left > right else 0)
    return value - (1 << 64) if value >= 1 << 63 else value


def distance(a: int, b: int) -> int:
    """Hamming distance between two hashes (signed or unsigned 64-bit)."""
    return ((a ^ b) & 0xFFFF_FFFF_FFFF_FFFF).bit_count()


# A band with this few bits set, or this few clear, is a flat area: not indexed.
_FLAT_BAND_BITS: Final = 2


def bands(value: int) -> list[int]:
    """The hash's informative 16-bit bands, each tagged with its band number
    (`band * 65536 + bits`), as stored in `photo_bands`, one row each."""
    unsigned = value & 0xFFFF_FFFF_FFFF_FFFF
    out: list[int] = []
    for i in range(4):
        bits = (unsigned >> (16 * i)) & 0xFFFF
        if _FLAT_BAND_BITS < bits.bit_count() < 16 - _FLAT_BAND_BITS:
            out.append((i << 16) + bits)
    return out


def probe_bands(value: int) -> list[int]:
    """The band values to look up for photos near `value`: every band (flat ones included: the
    stored side decides what is indexed) and each of its 16 one-bit neighbours. A stored hash
    within distance 7 shares one of them."""
    unsigned = value & 0xFFFF_FFFF_FFFF_FFFF
    out: list[int] = []
    for i in range(4):
        bits = (unsigned >> (16 * i)) & 0xFFFF
        out.append((i << 16) + bits)
        out.extend((i << 16) + (bits ^ (1 << flip)) for flip in range(16))
    return out
