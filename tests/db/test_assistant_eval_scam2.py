"""The scam signal on the second scam set (tests/assistant_eval_scam2), written apart from the
first with other wordings: the issue's targets hold on it as on the first set."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeAlias

import asyncpg

from tests.assistant_eval_scam2 import make_set
from vodiy_bozor.assistant.evaluation import read_set, replay

Conn: TypeAlias = "asyncpg.Connection[Any]"
SET = Path(__file__).resolve().parent.parent / "assistant_eval_scam2"


def test_the_set_holds_every_kind_of_scam_and_honest_look_alikes() -> None:
    ads = read_set(SET)
    assert len(ads) >= 150
    scams = [ad for ad in ads if ad.scam]
    assert len(scams) >= 40
    texts = " ".join(ad.description for ad in scams).lower()
    for word in ("zalog", "залог", "8600", "9860", "bit.ly", "instagram", "+7", "бўйлаб"):
        assert word in texts, word
    honest = " ".join(ad.description for ad in ads if not ad.scam).lower()
    for word in ("при получении", "olganda", "залог", "@", "oldindan rahmat"):
        assert word in honest, word  # the look-alikes that must not count


def test_the_set_is_what_make_set_writes(tmp_path: Path) -> None:
    make_set.main([str(tmp_path)])
    assert (tmp_path / "ads.jsonl").read_bytes() == (SET / "ads.jsonl").read_bytes()


async def test_scam_targets_on_the_second_set(db: Conn) -> None:
    results = await replay(db, read_set(SET))
    high = results.scam_high
    print(
        f"scam high on the second set: precision {high.precision:.3f} recall {high.recall:.3f} "
        f"(tp {high.true_positive}, fp {high.false_positive}, fn {high.false_negative})"
    )
    assert high.precision >= 0.9
    assert high.recall >= 0.7
