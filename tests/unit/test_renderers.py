"""Every outbox kind is rendered by exactly one audience's renderer (delivery/render/)."""

from __future__ import annotations

import inspect

from vodiy_bozor.delivery.courier import AUDIENCES
from vodiy_bozor.models import OutboxKind


def test_every_outbox_kind_has_exactly_one_renderer() -> None:
    claimed = [kind for audience in AUDIENCES for kind in audience.KINDS]
    assert sorted(claimed) == sorted(OutboxKind)


def test_every_renderer_named_in_a_table_exists() -> None:
    for audience in AUDIENCES:
        for kind, name in audience.KINDS.items():
            method = getattr(audience, name, None)
            assert inspect.iscoroutinefunction(method), (audience.__name__, kind, name)
