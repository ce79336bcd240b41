"""The data layer: every SQL statement of the bot lives in this package.

Functions take an asyncpg connection (or pool) as their first argument, so a caller can run
several of them in one transaction. Nothing here imports aiogram.
"""

from typing import Any, TypeAlias

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from vodiy_bozor.models import Currency, Price

# A connection, whether opened directly or borrowed from the pool. (Strings: asyncpg's classes
# are generic only in its type stubs, not at run time.)
Conn: TypeAlias = "asyncpg.Connection[Any] | PoolConnectionProxy[Any]"
# Anything that runs a single statement: a connection or the pool itself.
Executor: TypeAlias = "Conn | asyncpg.Pool[Any]"


def price_of(row: asyncpg.Record) -> Price:
    """An ad's price from its two columns, `price_amount` (None: negotiable) and
    `price_currency`, as every query that reads an ad selects them."""
    return Price(row["price_amount"], Currency(row["price_currency"]))
