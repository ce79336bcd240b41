"""What an outbox NOTIFY's payload says (see `db.outbox.enqueue`)."""

from __future__ import annotations

from vodiy_bozor.delivery.outbox import notified_due


def test_a_payload_is_the_rows_due_time_and_anything_else_means_now() -> None:
    assert notified_due("1796680000.123456") == 1796680000.123456
    # An instance of an older version NOTIFYs with an empty payload: taken as due now.
    assert notified_due("") is None
    assert notified_due("end") is None
    assert notified_due("nan") is None
    assert notified_due(None) is None
