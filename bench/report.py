"""The results: the printed table with PASS/MISS per target, and the JSON files."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.phases import BotRun, OutboxResult, PacedStartResult, PickResult

# The targets of issue 7, as ratios to (or differences from) the echo bot in the same run.
THROUGHPUT_RATIO = 0.60  # ours >= 60% of echo's updates per second
P99_MS = 25.0  # p99 reply latency at half of our throughput, absolute
RSS_EXTRA_MB = 50.0  # ours' peak RSS <= echo's + 50 MB (with 100k users and 100k ads)
STARTUP_EXTRA_S = 1.0  # ours' launch-to-first-getUpdates <= echo's + 1 s
PACED_START_P99_MS = 25.0  # issue 18: /start at 20/s with pacing on, p99, absolute
# Telegram's limits the outbox must keep (https://core.telegram.org/bots/faq).
OVERALL_PER_S = 30
CHANNEL_PER_MIN = 20
PER_CHAT_1S = 3  # about one a second, with a short burst (the fake allows 3)


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "MISS")


@dataclass
class Report:
    started_at: datetime
    sizes: dict[str, Any]
    machine: dict[str, Any]
    database: str = ""
    seeded: dict[str, int] = field(default_factory=dict)
    ours: BotRun | None = None
    echo: BotRun | None = None
    ours_no_uvloop: BotRun | None = None
    outbox: OutboxResult | None = None
    pick: PickResult | None = None
    paced_start: list[PacedStartResult] = field(default_factory=list)  # ours first, then echo
    seconds: float = 0.0

    # -- targets -----------------------------------------------------------------------------

    def startup(self, kind: str) -> float:
        """A bot's start-up: the quicker of its launches in this run (the throughput phase's
        and the paced phase's). The first launch of ours comes right after the seeding, while
        PostgreSQL is still busy with it: 0.4-1.1 s slower than ours' second launch in the
        same run, while the echo bot's two launches were alike. The quicker launch is the one
        least disturbed by other work; both are printed."""
        first = self.ours if kind == "ours" else self.echo
        launches = [r.startup_s for r in self.paced_start if r.kind == kind]
        if first is not None:
            launches.append(first.startup_s)
        return min(launches)

    def targets(self) -> list[dict[str, Any]]:
        ours, echo = self.ours, self.echo
        rows: list[dict[str, Any]] = []
        if ours is None:
            return rows
        ratio = ours.per_second / echo.per_second if echo and echo.per_second else None
        rows.append(
            {
                "target": f"throughput >= {THROUGHPUT_RATIO:.0%} of echo",
                "value": None if ratio is None else round(ratio, 3),
                "pass": None if ratio is None else ratio >= THROUGHPUT_RATIO,
            }
        )
        p99 = ours.latency["p99_ms"] if ours.latency else None
        rows.append(
            {
                "target": f"p99 latency < {P99_MS:.0f} ms at half load",
                "value": p99,
                "pass": None if p99 is None or math.isnan(p99) else p99 < P99_MS,
            }
        )
        extra = ours.peak_rss_mb - echo.peak_rss_mb if echo else None
        rows.append(
            {
                "target": f"peak RSS <= echo + {RSS_EXTRA_MB:.0f} MB",
                "value": extra,
                "pass": None if extra is None else extra <= RSS_EXTRA_MB,
            }
        )
        later = self.startup("ours") - self.startup("echo") if echo else None
        rows.append(
            {
                "target": f"start-up <= echo + {STARTUP_EXTRA_S:.0f} s",
                "value": later,
                "pass": None if later is None else later <= STARTUP_EXTRA_S,
            }
        )
        if self.paced_start:
            p99 = self.paced_start[0].p99_ms
            answered = self.paced_start[0].unanswered == 0 and self.paced_start[0].timeouts == 0
            rows.append(
                {
                    "target": f"p99 < {PACED_START_P99_MS:.0f} ms for /start at "
                    f"{self.paced_start[0].rate:.0f}/s, pacing on",
                    "value": p99,
                    "pass": None if math.isnan(p99) else p99 < PACED_START_P99_MS and answered,
                }
            )
        if self.outbox is not None:
            o = self.outbox
            within = (
                o.too_many_requests == 0
                and o.max_overall_1s <= OVERALL_PER_S
                and o.max_channel_60s <= CHANNEL_PER_MIN
                and o.max_per_chat_1s <= PER_CHAT_1S
                and not o.rows.get("pending")
            )
            rows.append(
                {"target": "outbox within Telegram's limits, no 429", "value": None, "pass": within}
            )
        return rows

    # -- output ------------------------------------------------------------------------------

    def table(self) -> str:
        lines: list[str] = []
        add = lines.append
        add(f"Vodiy bozor benchmark, {self.started_at:%Y-%m-%d %H:%M} UTC")
        add(
            f"machine: {self.machine['cpus']} CPUs, Python {self.machine['python']}; "
            f"database: {self.database}; seeded: "
            + ", ".join(f"{v:,} {k}" for k, v in self.seeded.items())
        )
        add("")
        runs = [r for r in (self.ours, self.echo, self.ours_no_uvloop) if r is not None]
        if runs:
            head = f"{'':34}" + "".join(f"{r.kind:>22}" for r in runs)
            add(head)
            add("-" * len(head))

            def row(label: str, values: list[str]) -> None:
                add(f"{label:34}" + "".join(f"{v:>22}" for v in values))

            row("start-up to first getUpdates (s)", [f"{r.startup_s:.2f}" for r in runs])
            row("  CPU until then (s)", [f"{r.startup_cpu_s:.2f}" for r in runs])
            row("throughput (updates/s)", [f"{r.per_second:.0f}" for r in runs])
            row(
                "  updates / seconds",
                [f"{r.throughput['updates']} / {r.throughput['seconds']:.1f}" for r in runs],
            )
            row(
                "  dialogs done / approvals",
                [f"{r.throughput['sellers_done']} / {r.throughput['admin_presses']}" for r in runs],
            )
            row(
                "  outbox backlog at the end (rows)",
                [str(r.throughput.get("outbox_backlog", "-")) for r in runs],
            )
            row("  bot CPU per update (ms)", [_cpu_per_update(r) for r in runs])
            row(
                "  PostgreSQL CPU per update (ms)",
                [f"{r.cpu['postgres_ms_per_update']:.2f}" for r in runs],
            )
            row(
                "  CPU: bot / bench / pg / other (s)",
                [
                    f"{r.cpu['bot_s']:.0f}/{r.cpu['bench_s']:.0f}/{r.cpu['postgres_s']:.0f}/"
                    f"{r.cpu['others_s']:.0f}"
                    for r in runs
                ],
            )
            row("latency load (updates/s)", [_lat(r, "rate", "{:.0f}") for r in runs])
            for key in ("p50_ms", "p95_ms", "p99_ms", "max_ms"):
                row(f"  {key.removesuffix('_ms')} (ms)", [_lat(r, key, "{:.1f}") for r in runs])
            row("  samples / unanswered", [_samples(r) for r in runs])
            row("  bot busy (share of a core)", [_busy(r) for r in runs])
            row("peak RSS (MB)", [f"{r.peak_rss_mb:.1f}" for r in runs])
            row("timeouts / errors", [f"{_timeouts(r)} / {len(r.errors)}" for r in runs])
        if self.paced_start:
            paced = self.paced_start
            first = paced[0]
            add("")
            head = f"{f'/start at {first.rate:.0f}/s, pacing on':34}" + "".join(
                f"{r.kind:>22}" for r in paced
            )
            add(head)
            add("-" * len(head))
            for label, values in (
                ("  start-up to first getUpdates (s)", [f"{r.startup_s:.2f}" for r in paced]),
                ("  CPU until then (s)", [f"{r.startup_cpu_s:.2f}" for r in paced]),
                ("  p50 (ms)", [f"{r.p50_ms:.1f}" for r in paced]),
                ("  p95 (ms)", [f"{r.p95_ms:.1f}" for r in paced]),
                ("  p99 (ms)", [f"{r.p99_ms:.1f}" for r in paced]),
                ("  max (ms)", [f"{r.max_ms:.1f}" for r in paced]),
                ("  samples / unanswered", [f"{r.count} / {r.unanswered}" for r in paced]),
                ("  bot CPU per update (ms)", [f"{r.bot_ms_per_update:.2f}" for r in paced]),
            ):
                add(f"{label:34}" + "".join(f"{v:>22}" for v in values))
        if self.ours and self.ours_no_uvloop and self.ours_no_uvloop.per_second:
            with_, without = self.ours, self.ours_no_uvloop
            gain = with_.per_second / without.per_second - 1
            cpu = with_.cpu["bot_ms_per_update"] / without.cpu["bot_ms_per_update"] - 1
            add("")
            add(
                f"uvloop: throughput {with_.per_second:.0f} vs {without.per_second:.0f} updates/s "
                f"without ({gain:+.1%}); bot CPU per update {cpu:+.1%} "
                "(the CPU figure is the steadier one: throughput also depends on PostgreSQL)"
            )
        if self.outbox is not None:
            o = self.outbox
            add("")
            add(
                f"outbox: {o.notices} notices to {o.chats} chats drained in "
                f"{o.seconds_to_drain:.1f}s; {o.sent_ok} sent, {o.overall_rate:.1f}/s overall"
            )
            add(
                f"  max in any 1 s: {o.max_overall_1s} overall (limit {OVERALL_PER_S}), "
                f"{o.max_per_chat_1s} to one chat (burst {PER_CHAT_1S}); "
                f"max in any 10 s to one chat: {o.max_per_chat_10s}; "
                f"channel max in any 60 s: {o.max_channel_60s} (limit {CHANNEL_PER_MIN})"
            )
            add(
                f"  429 answers: {o.too_many_requests} {o.too_many_by_chat_kind}, "
                f"other errors: {o.other_errors}; "
                f"rows: {o.rows}"
            )
        if self.pick is not None:
            p = self.pick
            add("")
            add(
                f"repost pick: {p.ads:,} published ads, {p.sellers:,} sellers, {p.runs} runs: "
                f"ads.repost median {p.repost_median_ms:.2f} ms (p95 {p.repost_p95_ms:.2f}), "
                f"ROTATION_PICK median {p.query_median_ms:.2f} ms (p95 {p.query_p95_ms:.2f})"
            )
            add("  EXPLAIN (ANALYZE, BUFFERS):")
            lines.extend("    " + line for line in p.plan)
        targets = self.targets()
        if targets:
            add("")
            add("targets:")
            for target in targets:
                value = target["value"]
                shown = "" if value is None else f"  ({_fmt(value)})"
                add(f"  {_verdict(target['pass']):5} {target['target']}{shown}")
        add("")
        add(f"total time: {self.seconds:.0f}s")
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        return {
            "started_at": self.started_at.isoformat(),
            "seconds": self.seconds,
            "machine": self.machine,
            "database": self.database,
            "sizes": self.sizes,
            "seeded": self.seeded,
            "ours": asdict(self.ours) if self.ours else None,
            "echo": asdict(self.echo) if self.echo else None,
            "ours_no_uvloop": asdict(self.ours_no_uvloop) if self.ours_no_uvloop else None,
            "outbox": asdict(self.outbox) if self.outbox else None,
            "pick": asdict(self.pick) if self.pick else None,
            "paced_start": [asdict(r) for r in self.paced_start],
            "targets": self.targets(),
        }

    def write(self, folder: Path) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.as_json(), indent=2, ensure_ascii=False, default=str)
        stamped = folder / f"{self.started_at:%Y%m%dT%H%M%SZ}.json"
        latest = folder / "latest.json"
        for path in (stamped, latest):
            path.write_text(text + "\n", encoding="utf-8")
        return [stamped, latest]


def _fmt(value: Any) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def _lat(run: BotRun, key: str, fmt: str) -> str:
    if run.latency is None:
        return "-"
    value = run.latency[key]
    return "-" if isinstance(value, float) and math.isnan(value) else fmt.format(value)


def _samples(run: BotRun) -> str:
    if run.latency is None:
        return "-"
    return f"{run.latency['count']} / {run.latency['unanswered']}"


def _busy(run: BotRun) -> str:
    if run.latency is None:
        return "-"
    return f"{run.latency['cpu']['bot_busy']:.0%}"


def _timeouts(run: BotRun) -> int:
    return int(run.throughput["timeouts"]) + int((run.latency or {}).get("timeouts", 0))


def _cpu_per_update(run: BotRun) -> str:
    updates = run.throughput["updates"]
    return f"{run.cpu['bot_ms_per_update']:.2f}" if updates else "-"


# -- the soak (`python -m bench.soak`) -----------------------------------------------------------

SOAK_RSS_GROWTH_MB = 10.0  # RSS growth from the end of the warm-up to the end of the run

# What must be 0 for "nothing lost" (see `bench.soak._account`).
SOAK_LOST_KEYS = (
    "updates_unanswered",
    "submitted_but_no_ad",
    "ads_without_card_at_every_admin",
    "approved_without_first_post",
    "duplicate_first_posts",
    "published_owner_not_told",
    "posts_in_doubt_admins_not_told",
    "outbox_failed",
)


@dataclass
class SoakReport:
    started_at: datetime
    plan: dict[str, Any]
    load: str  # /proc/loadavg before the run: the machine is shared
    load_after: str = ""
    database: str = ""
    seconds: float = 0.0
    seconds_load: float = 0.0
    seconds_drain: float = 0.0
    drained: bool = False
    exit_code: int | None = None
    bot_cpu_s: float = 0.0
    rss: dict[str, Any] = field(default_factory=dict)
    throughput: dict[str, Any] = field(default_factory=dict)
    latency: dict[str, Any] = field(default_factory=dict)
    faults: dict[str, Any] = field(default_factory=dict)
    lost: dict[str, Any] = field(default_factory=dict)
    step_timeouts: int = 0
    people_errors: list[str] = field(default_factory=list)
    bot_errors: list[str] = field(default_factory=list)
    bot_log: str = ""  # a copy of the bot's log, next to the JSON

    def rss_growth(self) -> float | None:
        start, end = self.rss.get("at_warmup_mb"), self.rss.get("at_end_mb")
        return None if start is None or end is None else float(end) - float(start)

    def targets(self) -> list[dict[str, Any]]:
        growth = self.rss_growth()
        lost = sum(int(self.lost.get(k, 0)) for k in SOAK_LOST_KEYS)
        return [
            {
                "target": f"RSS growth after warm-up <= {SOAK_RSS_GROWTH_MB:.0f} MB",
                "value": None if growth is None else round(growth, 1),
                "pass": None if growth is None else growth <= SOAK_RSS_GROWTH_MB,
            },
            {"target": "nothing lost", "value": lost, "pass": lost == 0},
            {
                "target": "every step answered",
                "value": self.step_timeouts,
                "pass": self.step_timeouts == 0,
            },
            {"target": "drained in time", "value": None, "pass": self.drained},
        ]

    def passed(self) -> bool:
        return all(t["pass"] is True for t in self.targets())

    def table(self) -> str:
        lines: list[str] = []
        add = lines.append
        plan, rss, th, lat, faults, lost = (
            self.plan,
            self.rss,
            self.throughput,
            self.latency,
            self.faults,
            self.lost,
        )
        add(f"Vodiy bozor soak, {self.started_at:%Y-%m-%d %H:%M} UTC, {self.database}")
        add(
            f"load {self.seconds_load:.0f}s + drain {self.seconds_drain:.0f}s; "
            f"{plan['people']} people at once of {plan['population']}, "
            f"{plan['ads_per_minute']:g} ads/min, seed {plan['seed']}; "
            f"loadavg before: {self.load}; after: {self.load_after}"
        )
        add("")

        def row(label: str, value: Any) -> None:
            add(f"  {label:44}{value}")

        add("memory (VmRSS of the bot)")
        row(f"at the end of warm-up ({rss.get('warmup_s', 0):.0f}s)", _mb(rss.get("at_warmup_mb")))
        row("at the end", _mb(rss.get("at_end_mb")))
        growth = self.rss_growth()
        row("growth", "-" if growth is None else f"{growth:+.1f} MB")
        row(
            "max sampled / peak (VmHWM)",
            f"{_mb(rss.get('max_mb'))} / {_mb(rss.get('peak_hwm_mb'))}",
        )
        add("throughput and latency")
        row(
            "updates handed out / per second",
            f"{th.get('updates_handed_out', 0)} / {th.get('updates_per_second', 0.0):.1f}",
        )
        row("sessions", th.get("sessions", {}))
        row("ads submitted / approved", f"{th.get('ads_submitted', 0)} / {th.get('approvals', 0)}")
        row(
            "'has it sold?' asked / answered",
            f"{th.get('sold_questions', 0)} / {th.get('owner_answers', {})}",
        )
        row(
            "answer latency p50 / p95 / p99 / max (ms)",
            "{:.0f} / {:.0f} / {:.0f} / {:.0f}".format(
                lat.get("p50_ms", math.nan),
                lat.get("p95_ms", math.nan),
                lat.get("p99_ms", math.nan),
                lat.get("max_ms", math.nan),
            ),
        )
        row("latency samples", lat.get("count", 0))
        row(
            "bot CPU (s, share of a core)",
            f"{self.bot_cpu_s:.0f}, "
            f"{self.bot_cpu_s / max(self.seconds_load + self.seconds_drain, 1):.0%}",
        )
        add("faults")
        row("calls answered by the fake", faults.get("calls", 0))
        row("injected, by kind", faults.get("injected", {}))
        row(
            "429 seen (injected + over the limits)",
            f"{faults.get('429_seen', 0)} ({faults.get('429_natural', 0)} over the limits)",
        )
        add("nothing lost (all 0)")
        for key in SOAK_LOST_KEYS:
            row(key.replace("_", " "), lost.get(key, "-"))
        add("accounted")
        row(
            "posts in doubt (admins told; a copy exists)",
            f"{lost.get('posts_in_doubt', 0)} ({lost.get('posts_in_doubt_with_a_copy', 0)})",
        )
        row(
            "presses too old to answer, acted on (by design)",
            lost.get("presses_followed_by_a_message_only", 0),
        )
        row(
            "first posts / reposts in the channel",
            f"{lost.get('first_posts', 0)} / {lost.get('reposts', 0)}",
        )
        row("ads by status", lost.get("ads_by_status", {}))
        row("outbox rows pending at the end", lost.get("outbox_pending_at_end", 0))
        for example in lost.get("examples", []) + lost.get("updates_unanswered_examples", []):
            add(f"    {example}")
        for example in lost.get("outbox_failed_examples", []):
            add(f"    failed: {example}")
        add(f"step timeouts (people): {self.step_timeouts}")
        for error in self.people_errors[:5]:
            add(f"    {error}")
        add(
            f"bot's log: {len(self.bot_errors)} ERROR/Traceback lines; exit code "
            f"{self.exit_code}; {self.bot_log}"
        )
        for error in self.bot_errors[:5]:
            add(f"    {error[:200]}")
        add("")
        add("targets:")
        for target in self.targets():
            value = target["value"]
            shown = "" if value is None else f"  ({_fmt(value)})"
            add(f"  {_verdict(target['pass']):5} {target['target']}{shown}")
        add(f"total time: {self.seconds:.0f}s")
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["started_at"] = self.started_at.isoformat()
        data["targets"] = self.targets()
        return data

    def write(self, folder: Path) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.as_json(), indent=2, ensure_ascii=False, default=str)
        stamped = folder / f"soak-{self.started_at:%Y%m%dT%H%M%SZ}.json"
        latest = folder / "soak-latest.json"
        for path in (stamped, latest):
            path.write_text(text + "\n", encoding="utf-8")
        return [stamped, latest]


def _mb(value: Any) -> str:
    return "-" if value is None else f"{float(value):.1f} MB"
