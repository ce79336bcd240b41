"""Renderers per audience: each outbox kind's call, rendered from the state at the moment the
row goes out (admin.py, channel.py, owner.py, buyer.py). `delivery.courier` chooses one from
a table by `OutboxKind`."""
