"""The fake Bot API's updates: the queue tests fill (a person's message, a button, an inline
query), handed out by getUpdates (long polling) or POSTed to the bot's webhook."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import re
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

import aiohttp
from aiogram.types import Update
from pydantic import ValidationError

from .core import (
    _DEFAULT_EXCLUDED_UPDATES,
    _UNSET,
    CONFLICT_POLL,
    CONFLICT_WEBHOOK,
    JSON,
    ApiError,
    _QueuedUpdate,
    _read_webhook_reply,
    _Unset,
    _Webhook,
    bad,
)
from .media import MediaPart
from .people import BotMessage, Person

if TYPE_CHECKING:
    from .server import FakeTelegram


class UpdatesPart(MediaPart):
    """The update queue, long polling and the webhook (see the module)."""

    # ------------------------------------------------------------------ updates

    def queue_update(self, kind: str, payload: JSON, *, chat_id: int | None = None) -> JSON:
        """Queue a raw update of type ``kind``; returns the Update dict."""
        update = {"update_id": self._next_update_id, kind: payload}
        try:
            # Telegram only sends well-formed updates; a malformed one would make every
            # getUpdates of the bot fail to parse, far from the test line that caused it.
            Update.model_validate(update)
        except ValidationError as error:
            msg = f"this {kind} update would not parse as a Bot API Update: {error}"
            raise ValueError(msg) from None
        self._next_update_id += 1
        self._updates.append(_QueuedUpdate(update, kind, chat_id))
        self._notify()
        return update

    def _queue_member_change(self, user_id: int, old: str, new: str) -> None:
        person = self._people.get(user_id)
        if person is None:
            return

        def member(status: str) -> JSON:
            member: JSON = {"status": status, "user": self.bot_user}
            if status == "kicked":
                member["until_date"] = 0
            return member

        payload = {
            "chat": person.chat,
            "from": person.user,
            "date": self.now(),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }
        self.queue_update("my_chat_member", payload, chat_id=user_id)

    def _allowed(self, kind: str, allowed: list[str] | None) -> bool:
        if not allowed:
            return kind not in _DEFAULT_EXCLUDED_UPDATES
        return kind in allowed

    def _confirm_below(self, offset: int) -> None:
        self._updates = [q for q in self._updates if q.update["update_id"] >= offset]

    def _deliverable(self, allowed: list[str] | None, limit: int) -> list[_QueuedUpdate]:
        # Telegram never produces updates of types the bot did not ask for; they are dropped.
        kept = []
        for queued in self._updates:
            if self._allowed(queued.kind, allowed):
                kept.append(queued)
        self._updates = kept
        return kept[:limit]

    def _hand_out(self, queued: Iterable[_QueuedUpdate]) -> None:
        now = time.monotonic()
        for item in queued:
            if item.handed_out_at is None:
                item.handed_out_at = now
                self._handed_out.append(item)

    def user_message(self, person: Person, content: JSON) -> JSON:
        """Store a message from ``person`` in their private chat (no update is queued)."""
        chat = self._chats[person.id]
        message = {
            "message_id": chat.next_message_id,
            "from": person.user,
            "chat": chat.chat,
            "date": self.now(),
            **content,
        }
        chat.next_message_id += 1
        chat.messages[message["message_id"]] = message
        return message

    def new_callback_query(self, person: Person, message: JSON, data: str) -> JSON:
        query_id = str(4_000_000_000_000_000 + next(self._query_counter) * 7919)
        self._open_queries.add(query_id)
        chat_id = message["chat"]["id"]
        return {
            "id": query_id,
            "from": person.user,
            "message": copy.deepcopy(message),
            "chat_instance": str(-8_000_000_000_000_000 - chat_id),
            "data": data,
        }

    def new_inline_query(self, person: Person, query: str, offset: str) -> JSON:
        if len(query) > 256:  # "Text of the query (up to 256 characters)"
            msg = "an inline query is at most 256 characters"
            raise ValueError(msg)
        query_id = str(5_000_000_000_000_000 + next(self._query_counter) * 7919)
        self._open_inline_queries.add(query_id)
        return {
            "id": query_id,
            "from": person.user,
            "query": query,
            "offset": offset,
            "chat_type": "sender",
        }

    def new_media_group_id(self) -> str:
        return str(13_000_000_000_000_000 + next(self._media_group_counter))

    def bot_messages(self, chat_id: int) -> list[BotMessage]:
        chat = self._chats[chat_id]
        return [
            BotMessage(cast("FakeTelegram", self), chat_id, mid)
            for mid in sorted(chat.seq)
            if mid in chat.messages
        ]

    def message_seq(self, chat_id: int, message_id: int) -> int:
        return self._chats[chat_id].seq[message_id]

    @property
    def last_seq(self) -> int:
        return self._seq

    # ------------------------------------------------------------------ webhook delivery

    async def _stop_webhook_task(self) -> None:
        task, self._webhook_task = self._webhook_task, None
        if task is asyncio.current_task():
            return  # a webhook reply changed the webhook: the loop sees it and ends
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _deliver_updates(self, webhook: _Webhook) -> None:
        """POST queued updates to the webhook one at a time, in order, retrying non-2xx."""
        assert self._client is not None
        failures = 0
        while self._webhook is webhook:
            pending = self._deliverable(self._allowed_updates, 1)
            if not pending:
                event = self._changed
                await event.wait()
                continue
            queued = pending[0]
            self._hand_out([queued])
            headers = {}
            if webhook.secret_token is not None:
                headers["X-Telegram-Bot-Api-Secret-Token"] = webhook.secret_token
            self._busy += 1
            try:
                try:
                    async with self._client.post(
                        webhook.url,
                        json=queued.update,
                        headers=headers,
                        timeout=aiohttp.ClientTimeout(total=60),
                    ) as response:
                        status = response.status
                        reply = await _read_webhook_reply(response) if status < 300 else None
                        reason = response.reason or ""
                except aiohttp.ClientError as error:
                    status, reply, reason = 0, None, f"{type(error).__name__}: {error}"
                if 200 <= status < 300:
                    failures = 0
                    with contextlib.suppress(ValueError):
                        self._updates.remove(queued)
                    if reply is not None and "method" in reply:
                        await self._execute_webhook_reply(reply)
                    continue
                webhook.last_error_date = self.now()
                webhook.last_error_message = (
                    f"Wrong response from the webhook: {status} {reason}" if status else reason
                )
                failures += 1
            finally:
                self._busy -= 1
                self._notify()
            await asyncio.sleep(min(2.0, self.webhook_retry_delay * 2 ** min(failures - 1, 5)))

    async def _execute_webhook_reply(self, params: JSON) -> None:
        """Telegram executes a method returned in the webhook answer; the result is lost."""
        name = str(params.pop("method"))
        known = self._handlers.get(name.lower())
        method = known[0] if known is not None else name
        call = self._begin_call(method, params, time.monotonic(), via_webhook_reply=True)
        if known is None:
            status, body = 404, ApiError(404, "Not Found").body()
        else:
            status, body = await self._execute(method, params)
        self._finish_call(call, status, body)

    async def deliver_raw(
        self,
        update: JSON,
        *,
        secret: str | _Unset | None = _UNSET,
        headers: dict[str, str] | None = None,
        url: str | None = None,
    ) -> tuple[int, str]:
        """POST an arbitrary update to the webhook now, outside the queue.

        ``secret`` defaults to the configured secret token; pass ``None`` to omit the header or
        another string to send a wrong one.  Returns ``(status, body)``; nothing is executed.
        """
        assert self._client is not None, "start() the fake first"
        target = url or (self._webhook.url if self._webhook is not None else None)
        if target is None:
            msg = "no webhook is set and no url= given"
            raise AssertionError(msg)
        send_headers = dict(headers or {})
        if isinstance(secret, _Unset):
            secret = self._webhook.secret_token if self._webhook is not None else None
        if secret is not None:
            send_headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        async with self._client.post(target, json=update, headers=send_headers) as response:
            return response.status, await response.text()

    @property
    def webhook_url(self) -> str | None:
        return self._webhook.url if self._webhook is not None else None

    async def _get_updates(self, params: JSON) -> list[JSON]:
        if self._webhook is not None:
            raise ApiError(409, CONFLICT_WEBHOOK)
        offset = params.get("offset", 0)
        limit = params.get("limit", 100)
        timeout = params.get("timeout", 0)
        for name, value in (("offset", offset), ("limit", limit), ("timeout", timeout)):
            if not isinstance(value, int) or isinstance(value, bool):
                raise bad(f"invalid {name} specified")
        limit = min(max(limit, 1), 100)  # "Values between 1-100 are accepted"
        if "allowed_updates" in params:
            allowed = params["allowed_updates"]
            if not isinstance(allowed, list):
                raise bad("can't parse allowed_updates JSON object")
            # "If not specified, the previous setting will be used."
            self._allowed_updates = [str(kind) for kind in allowed]
        if offset > 0:
            self._confirm_below(offset)
        elif offset < 0:
            # "-offset update from the end of the updates queue. All previous updates will
            # be forgotten."
            self._updates = self._updates[offset:]

        # Only one getUpdates may wait at a time: the earlier one is answered with 409.
        if self._poller is not None and not self._poller.done():
            self._poller.set_result(None)
        terminated: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._poller = terminated
        self._notify()

        def ready() -> list[_QueuedUpdate] | None:
            if terminated.done() or self._webhook is not None:
                return None
            found = self._deliverable(self._allowed_updates, limit)
            return found or ([] if self._stopping else None)

        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0, timeout)
        try:
            while True:
                event = self._changed
                if terminated.done():
                    raise ApiError(409, CONFLICT_POLL)
                if self._webhook is not None:
                    raise ApiError(409, CONFLICT_WEBHOOK)
                found = ready()
                remaining = deadline - loop.time()
                if found is not None or remaining <= 0:
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), remaining)
        finally:
            if self._poller is terminated:
                self._poller = None
        updates = found or []
        self._hand_out(updates)
        return [copy.deepcopy(q.update) for q in updates]

    async def _set_webhook(self, params: JSON) -> bool:
        url = params.get("url", "")
        if not isinstance(url, str):
            raise bad("invalid webhook URL specified")
        secret = params.get("secret_token")
        if secret is not None and (
            not isinstance(secret, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret)
        ):
            # "1-256 characters. Only characters A-Z, a-z, 0-9, _ and - are allowed."
            raise bad("secret token contains unallowed characters")
        if url and not re.match(r"https?://[^/\s]+", url):
            # Telegram demands HTTPS on ports 443/80/88/8443; the fake accepts plain HTTP on
            # any loopback port so tests need no certificates.
            raise bad("bad webhook: invalid webhook URL specified")
        max_connections = params.get("max_connections", 40)
        if not isinstance(max_connections, int) or not 1 <= max_connections <= 100:
            raise bad("bad webhook: max_connections must be between 1 and 100")
        allowed = params.get("allowed_updates")
        if allowed is not None and not isinstance(allowed, list):
            raise bad("can't parse allowed_updates JSON object")
        if params.get("drop_pending_updates"):
            self._updates.clear()
        if allowed is not None:
            self._allowed_updates = [str(kind) for kind in allowed]
        await self._stop_webhook_task()
        if not url:
            self._webhook = None
        else:
            self._webhook = _Webhook(url, secret, max_connections)
            self._webhook_task = asyncio.create_task(self._deliver_updates(self._webhook))
        self._notify()  # a waiting getUpdates must now fail with 409
        return True

    async def _delete_webhook(self, params: JSON) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self._webhook = None
        await self._stop_webhook_task()
        self._notify()
        return True

    async def _get_webhook_info(self, params: JSON) -> JSON:
        info: JSON = {
            "url": self._webhook.url if self._webhook is not None else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self._webhook is not None:
            info["max_connections"] = self._webhook.max_connections
            if self._webhook.last_error_date is not None:
                info["last_error_date"] = self._webhook.last_error_date
                info["last_error_message"] = self._webhook.last_error_message
            if self._allowed_updates:
                info["allowed_updates"] = self._allowed_updates
        return info
