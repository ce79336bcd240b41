"""The per-user budget of inline searches (bot/handlers/inline.py), on a clock the test moves."""

from __future__ import annotations

from vodiy_bozor.bot.handlers.inline import InlineBudget


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_then_the_rate_and_users_apart() -> None:
    clock = Clock()
    budget = InlineBudget(burst=3, rate=2.0, clock=clock)
    assert [budget.take(1) for _ in range(4)] == [True, True, True, False]
    assert budget.take(2)  # another user has a budget of their own
    clock.now += 0.5  # one search earned back
    assert [budget.take(1), budget.take(1)] == [True, False]
    clock.now += 60  # a pause refills to the burst, never past it
    assert [budget.take(1) for _ in range(4)] == [True, True, True, False]


def test_the_table_of_users_stays_bounded() -> None:
    budget = InlineBudget(max_users=100, clock=Clock())
    for user_id in range(10_000):
        budget.take(user_id)
    assert len(budget._tokens) <= 100
