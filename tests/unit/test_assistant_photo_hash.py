"""The perceptual hash: copies of a photo stay near, different photos far; bands find them."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image, ImageDraw

from vodiy_bozor.assistant.photo_hash import (
    NEAR_DISTANCE,
    NotAnImage,
    bands,
    dhash,
    distance,
    probe_bands,
)


def _picture(seed: int) -> Image.Image:
    r = random.Random(seed)
    img = Image.new("RGB", (640, 480), tuple(r.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(img)
    for _ in range(14):
        x, y = r.randrange(640), r.randrange(480)
        box = (x, y, x + r.randint(30, 220), y + r.randint(30, 160))
        draw.ellipse(box, fill=tuple(r.randrange(256) for _ in range(3)))
    return img


def _jpeg(img: Image.Image, quality: int = 85) -> bytes:
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality)
    return out.getvalue()


@pytest.mark.parametrize("seed", range(5))
def test_copies_of_a_photo_stay_near(seed: int) -> None:
    img = _picture(seed)
    original = dhash(_jpeg(img))
    w, h = img.size
    copies = {
        "recompressed": _jpeg(img, quality=35),
        "resized": _jpeg(img.resize((320, 240))),
        "enlarged": _jpeg(img.resize((1280, 960))),
        "cropped 3%": _jpeg(img.crop((int(w * 0.03), int(h * 0.03), w, h))),
        "png": _png(img),
    }
    for name, data in copies.items():
        assert distance(original, dhash(data)) <= NEAR_DISTANCE, name


def _png(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def test_different_photos_are_far_apart() -> None:
    hashes = [dhash(_jpeg(_picture(seed))) for seed in range(100, 130)]
    distances = [distance(a, b) for i, a in enumerate(hashes) for b in hashes[i + 1 :]]
    assert min(distances) > NEAR_DISTANCE
    assert sum(distances) / len(distances) > 20


def test_hash_fits_a_signed_bigint() -> None:
    for seed in range(20):
        value = dhash(_jpeg(_picture(seed)))
        assert -(2**63) <= value < 2**63


def test_not_an_image() -> None:
    with pytest.raises(NotAnImage):
        dhash(b"this is not a picture")
    with pytest.raises(NotAnImage):
        dhash(_jpeg(_picture(1))[:300])  # truncated


def test_probes_reach_every_hash_within_seven_bits() -> None:
    r = random.Random(7)
    for _ in range(300):
        value = r.getrandbits(64) - 2**63
        near = value
        for bit in r.sample(range(64), r.randint(0, 7)):
            near ^= 1 << bit
        near = (near & (2**64 - 1)) - (2**64 if near & (1 << 63) else 0)
        stored = set(bands(near))
        if len(stored) == 4:  # every band informative, so every band is indexed
            assert stored & set(probe_bands(value))


def test_flat_bands_are_not_indexed() -> None:
    assert bands(0) == []
    assert bands(-1) == []
    assert len(bands(0x5A5A_5A5A_5A5A_5A5A)) == 4
    assert [b >> 16 for b in bands(0x5A5A_5A5A_5A5A_5A5A)] == [0, 1, 2, 3]
