"""The fake Bot API's faults: errors, floods, dropped connections and lost answers that tests
inject, taken by the calls they match."""

from __future__ import annotations

import time
from collections.abc import Iterable

from .core import (
    _DEFAULT_DESCRIPTIONS,
    JSON,
    ApiError,
    Fault,
    Hold,
    LostAnswer,
    Outage,
)
from .state import FakeState


class FaultsPart(FakeState):
    """Injected faults (see the module)."""

    # ------------------------------------------------------------------ faults

    def fail_with(
        self,
        status: int,
        description: str | None = None,
        *,
        methods: Iterable[str] | None = None,
        times: int | None = None,
        until: float | None = None,
        retry_after: int | None = None,
        chat_id: int | str | None = None,
    ) -> Fault:
        """Answer matching calls with this error instead of executing them.

        ``times`` limits how many calls fail, ``until`` is a ``time.monotonic()`` deadline;
        with neither, the fault stays until :meth:`clear_faults`.  ``methods=None`` means every
        method except getUpdates (name it explicitly to break polling), so the bot's own long
        polls do not eat the budget at random.
        """
        if description is None:
            if status == 429:
                description = f"Too Many Requests: retry after {retry_after or 1}"
            else:
                description = _DEFAULT_DESCRIPTIONS.get(status, "Internal Server Error")
        if status == 429 and retry_after is None:
            retry_after = 1
        fault = Fault(
            status=status,
            description=description,
            methods=frozenset(m.lower() for m in methods) if methods is not None else None,
            times=times,
            until=until,
            retry_after=retry_after,
            chat_id=chat_id,
        )
        self._faults.append(fault)
        return fault

    def flood(
        self,
        retry_after: int,
        *,
        methods: Iterable[str] | None = None,
        times: int | None = 1,
        chat_id: int | str | None = None,
    ) -> Fault:
        """Answer 429 ``Too Many Requests: retry after N`` with ``parameters.retry_after``."""
        return self.fail_with(
            429,
            f"Too Many Requests: retry after {retry_after}",
            methods=methods,
            times=times,
            retry_after=retry_after,
            chat_id=chat_id,
        )

    def clear_faults(self) -> None:
        self._faults.clear()
        self._lost_answers.clear()
        self._outages.clear()
        for hold in self._holds:
            hold.release()
        self._holds.clear()

    def hold_calls(self, methods: Iterable[str], *, chat_id: int | str | None = None) -> Hold:
        """Keep matching calls waiting, unperformed and unanswered, until ``release()``: a
        Telegram slow to answer, at a moment the test chooses. ``arrived`` is set once one
        waits. (Released by :meth:`clear_faults` too, so nothing waits past a test.)"""
        hold = Hold(methods=frozenset(m.lower() for m in methods), chat_id=chat_id)
        self._holds.append(hold)
        return hold

    def _take_hold(self, method: str, params: JSON) -> Hold | None:
        for hold in self._holds:
            if method.lower() not in hold.methods:
                continue
            if hold.chat_id is not None and not self.same_chat(params.get("chat_id"), hold.chat_id):
                continue
            hold.hits += 1
            return hold
        return None

    def drop_connections(
        self,
        *,
        until: float | None = None,
        times: int | None = None,
        methods: Iterable[str] | None = None,
        chat_id: int | str | None = None,
    ) -> Outage:
        """Close the connection of matching requests without performing them or answering
        (aiohttp: ServerDisconnectedError): the network between the bot and Telegram is down.
        ``until`` is a ``time.monotonic()`` deadline, ``times`` how many requests; with
        neither, until :meth:`clear_faults`. The client cannot tell this from
        :meth:`lose_answers`, where the call was performed. ``methods=None`` means every
        method but getUpdates, as in :meth:`fail_with`."""
        outage = Outage(
            methods=frozenset(m.lower() for m in methods) if methods is not None else None,
            until=until,
            times=times,
            chat_id=chat_id,
        )
        self._outages.append(outage)
        return outage

    def _take_outage(self, method: str, params: JSON) -> Outage | None:
        now = time.monotonic()
        for outage in list(self._outages):
            if outage.until is not None and now >= outage.until:
                self._outages.remove(outage)
                continue
            if outage.methods is None:
                if method == "getUpdates":
                    continue
            elif method.lower() not in outage.methods:
                continue
            if outage.chat_id is not None and not self.same_chat(
                params.get("chat_id"), outage.chat_id
            ):
                continue
            outage.hits += 1
            if outage.times is not None:
                outage.times -= 1
                if outage.times <= 0:
                    self._outages.remove(outage)
            return outage
        return None

    def lose_answers(
        self,
        methods: Iterable[str],
        *,
        times: int | None = 1,
        chat_id: int | str | None = None,
        late: float | None = None,
    ) -> LostAnswer:
        """Perform matching calls (messages are sent, state changes), then lose the answer:
        drop the connection without answering, or with ``late`` answer only after that many
        seconds (a client with a shorter timeout gives up first). What Telegram leaves a client
        after a network failure at the wrong moment: the call happened, the client cannot know.
        Only calls that succeed are affected."""
        lost = LostAnswer(
            methods=frozenset(m.lower() for m in methods),
            times=times,
            chat_id=chat_id,
            late=late,
        )
        self._lost_answers.append(lost)
        return lost

    def _take_lost_answer(self, method: str, params: JSON) -> LostAnswer | None:
        for lost in list(self._lost_answers):
            if method.lower() not in lost.methods:
                continue
            if lost.chat_id is not None and not self.same_chat(params.get("chat_id"), lost.chat_id):
                continue
            lost.hits += 1
            if lost.times is not None:
                lost.times -= 1
                if lost.times <= 0:
                    self._lost_answers.remove(lost)
            return lost
        return None

    def _take_fault(self, method: str, params: JSON) -> ApiError | None:
        now = time.monotonic()
        for fault in list(self._faults):
            if fault.until is not None and now >= fault.until:
                self._faults.remove(fault)
                continue
            if fault.methods is None:
                if method == "getUpdates":
                    continue
            elif method.lower() not in fault.methods:
                continue
            if fault.chat_id is not None and not self.same_chat(
                params.get("chat_id"), fault.chat_id
            ):
                continue
            fault.hits += 1
            if fault.times is not None:
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
            return ApiError(fault.status, fault.description, retry_after=fault.retry_after)
        return None
