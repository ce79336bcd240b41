"""The evaluation set meets the issue's targets, and the command prints what it promises."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, TypeAlias

import asyncpg

from vodiy_bozor.assistant.evaluation import read_set, replay

Conn: TypeAlias = "asyncpg.Connection[Any]"
SET = Path(__file__).resolve().parent.parent / "assistant_eval"


def test_the_set_is_what_the_issue_asks_for() -> None:
    ads = read_set(SET)
    assert len(ads) >= 300
    assert all(path.is_file() for ad in ads for path in ad.photos)
    assert sum(ad.duplicate_of is not None for ad in ads) >= 30
    assert sum(ad.scam for ad in ads) >= 20
    assert sum(ad.category is not ad.true_category for ad in ads) >= 20
    ids = [ad.id for ad in ads]
    assert len(set(ids)) == len(ids)
    seen: set[str] = set()
    for ad in ads:  # a duplicate always points back to an earlier ad
        assert ad.duplicate_of is None or ad.duplicate_of in seen
        seen.add(ad.id)


async def test_targets_on_the_committed_set(db: Conn) -> None:
    results = await replay(db, read_set(SET))
    assert results.duplicates.precision >= 0.95
    assert results.duplicates.recall >= 0.9
    assert results.top1 >= 0.85
    assert results.scam_high.precision >= 0.9
    assert results.scam_high.recall >= 0.7
    # Every ad was replayed, decided and logged as an admin action.
    assert results.ads == len(read_set(SET))
    assert await db.fetchval("SELECT count(*) FROM ad_hints") == results.ads
    assert await db.fetchval("SELECT count(DISTINCT ad_id) FROM admin_actions") == results.ads


def test_the_command_prints_a_line_per_signal_then_json(pg_server: str, tmp_path: Path) -> None:
    # A slice of the set keeps this quick; the figures themselves are checked above.
    lines = (SET / "ads.jsonl").read_text(encoding="utf-8").splitlines()[:60]
    (tmp_path / "ads.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copytree(SET / "photos", tmp_path / "photos")
    env = {**os.environ, "DATABASE_URL": pg_server}
    before = _eval_databases(pg_server)
    done = subprocess.run(
        [sys.executable, "-m", "vodiy_bozor", "assistant", "eval", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout.strip().splitlines()
    assert any(line.startswith("duplicates") and "precision" in line for line in out)
    assert any(line.startswith("scam high") and "recall" in line for line in out)
    summary = json.loads(out[-1])
    assert summary["ads"] == 60
    for key in ("precision", "recall"):
        assert 0 <= summary["duplicates"][key] <= 1
        assert 0 <= summary["scam_high"][key] <= 1
    assert 0 <= summary["category"]["top1"] <= 1
    # The database it made is gone again (the server may be shared with other test runs,
    # whose evaluations have databases of their own).
    assert _eval_databases(pg_server) <= before


def _eval_databases(server: str) -> set[str]:
    names = subprocess.run(
        [sys.executable, "-c", _LIST_DATABASES, server],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(re.findall(r"vodiy_assistant_eval_\w+", names))


_LIST_DATABASES = """
import asyncio, sys, asyncpg
async def main():
    conn = await asyncpg.connect(sys.argv[1])
    print([r[0] for r in await conn.fetch("SELECT datname FROM pg_database")])
    await conn.close()
asyncio.run(main())
"""


def test_the_command_refuses_a_folder_without_the_set(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "vodiy_bozor", "assistant", "eval", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "ads.jsonl" in done.stderr


async def test_the_report_scores_the_admins_decisions(db: Conn, db_url: str) -> None:
    # Replay a slice of the set, so there are hints and decisions of the last 90 days.
    await replay(db, read_set(SET)[:80])
    env = {
        **os.environ,
        "API_TOKEN": "123456:TEST-token-for-the-report",
        "CHANNEL_ID": "@vodiy_test",
        "ADMIN_IDS": "9001",
        "DATABASE_URL": db_url,
    }
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "vodiy_bozor", "assistant"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout.strip().splitlines()
    decided = await db.fetchval(
        "SELECT count(*) FROM ads a JOIN ad_hints h ON h.ad_id = a.id "
        "WHERE a.decided_at >= now() - interval '90 days'"
    )
    assert out[0].startswith(f"{decided} ads decided")
    summary = json.loads(out[-1])
    assert summary["ads"] == decided
    assert summary["duplicates"]["tp"] >= 1
