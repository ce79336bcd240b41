"""The soak's fault injection (`bench.fakeapi`): deterministic per seed, at the rates asked,
and each kind of fault is what a client really sees over HTTP."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bench.fakeapi import (
    DROP_AFTER,
    DROP_BEFORE,
    FAULT_KINDS,
    LATE,
    SERVER_ERROR,
    TOO_MANY,
    BenchTelegram,
    FaultRates,
    Injected,
    RandomFaults,
)

METHODS = ["sendMessage", "answerCallbackQuery", "getUpdates", "editMessageText"] * 500
NONE = FaultRates(too_many=0, server_error=0, drop_before=0, drop_after=0, late=0)


def drawn(faults: RandomFaults) -> list[Injected | None]:
    return [faults.draw(m) for m in METHODS]


def test_the_same_seed_gives_the_same_faults_and_another_seed_others() -> None:
    rates = FaultRates(
        too_many=0.05, server_error=0.05, drop_before=0.05, drop_after=0.05, late=0.05
    )
    first = drawn(RandomFaults(rates, seed=7))
    assert first == drawn(RandomFaults(rates, seed=7))  # kinds, statuses, retry_after
    assert first != drawn(RandomFaults(rates, seed=8))
    assert {d.kind for d in first if d is not None} == set(FAULT_KINDS)


def test_faults_come_at_the_rates_asked_and_long_polls_are_never_held() -> None:
    rates = FaultRates(
        too_many=0.02, server_error=0.01, drop_before=0.01, drop_after=0.01, late=0.01
    )
    faults = RandomFaults(rates, seed=1)
    draws = [(m, faults.draw(m)) for m in METHODS * 10]  # 20,000 calls
    counted = Counter(d.kind for _, d in draws if d is not None)
    n = len(draws)
    # Within 5 standard deviations of the expected count for each kind.
    for kind, rate in ((TOO_MANY, 0.02), (SERVER_ERROR, 0.01), (DROP_BEFORE, 0.01)):
        expected = n * rate
        assert abs(counted[kind] - expected) < 5 * (expected * (1 - rate)) ** 0.5, (kind, counted)
    assert not [m for m, d in draws if d is not None and d.kind == LATE and m == "getUpdates"]
    assert counted[LATE] > 0
    low, high = rates.retry_after
    assert {d.retry_after for _, d in draws if d and d.kind == TOO_MANY} == set(
        range(low, high + 1)
    )


@pytest.fixture
async def bench_fake() -> AsyncIterator[BenchTelegram]:
    fake = BenchTelegram(token="123456:FAULTS-test")
    await fake.start()
    fake.user(42, "Alice")
    try:
        yield fake
    finally:
        await fake.stop()


async def send(fake: BenchTelegram, text: str) -> tuple[int, dict[str, object]]:
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            f"{fake.url}/bot{fake.token}/sendMessage",
            json={"chat_id": 42, "text": text},
            timeout=aiohttp.ClientTimeout(total=2),
        ) as response,
    ):
        return response.status, await response.json()


def texts(fake: BenchTelegram) -> list[str]:
    return [str(m.get("text")) for m in fake.chat_state(42).messages.values()]


async def test_a_429_and_a_5xx_are_answered_instead_of_the_call(bench_fake: BenchTelegram) -> None:
    bench_fake.random_faults = RandomFaults(FaultRates(too_many=1.0, server_error=0), seed=3)
    status, body = await send(bench_fake, "one")
    assert status == 429
    expected = RandomFaults(FaultRates(too_many=1.0, server_error=0), seed=3).draw("sendMessage")
    assert expected is not None
    assert body["parameters"] == {"retry_after": expected.retry_after}
    bench_fake.random_faults = RandomFaults(FaultRates(too_many=0, server_error=1.0), seed=3)
    status, _ = await send(bench_fake, "two")
    assert status in (500, 502)
    assert texts(bench_fake) == []
    assert bench_fake.injected == Counter({TOO_MANY: 1, SERVER_ERROR: 1})


async def test_a_dropped_connection_before_or_after_performing(bench_fake: BenchTelegram) -> None:
    bench_fake.random_faults = RandomFaults(
        FaultRates(too_many=0, server_error=0, drop_before=1.0), seed=1
    )
    with pytest.raises(aiohttp.ClientError):
        await send(bench_fake, "never sent")
    assert texts(bench_fake) == []
    bench_fake.random_faults = RandomFaults(
        FaultRates(too_many=0, server_error=0, drop_before=0, drop_after=1.0), seed=1
    )
    with pytest.raises(aiohttp.ClientError):
        await send(bench_fake, "sent, answer lost")
    assert texts(bench_fake) == ["sent, answer lost"]
    bench_fake.random_faults = RandomFaults(NONE, seed=1)
    status, _ = await send(bench_fake, "fine")
    assert status == 200
    assert bench_fake.injected == Counter({DROP_BEFORE: 1, DROP_AFTER: 1})


async def test_a_late_answer_comes_after_the_client_gave_up(bench_fake: BenchTelegram) -> None:
    rates = FaultRates(too_many=0, server_error=0, drop_before=0, drop_after=0, late=1.0)
    bench_fake.random_faults = RandomFaults(rates, seed=1)
    with pytest.raises(TimeoutError):  # the client's 2 s, far below the 90 s held back
        await send(bench_fake, "performed, answered too late")
    assert texts(bench_fake) == ["performed, answered too late"]
    assert bench_fake.injected == Counter({LATE: 1})
