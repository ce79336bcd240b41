"""The layers point one way (ARCHITECTURE.md): checked on the source, so a change that makes a
handler reach into the database, or two modules import each other, fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import vodiy_bozor

PACKAGE = Path(vodiy_bozor.__file__).parent


def _imports() -> dict[str, set[str]]:
    """Every module of the package and the modules (ours or not) it imports, at any depth of
    the file (imports inside functions and `TYPE_CHECKING` blocks count too)."""
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        graph[name] = found
    return graph


GRAPH = _imports()
OURS = set(GRAPH)


def _ours(name: str) -> set[str]:
    return {m for m in GRAPH[name] if m in OURS}


def test_no_import_cycles() -> None:
    seen: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        seen[module] = 1
        for target in sorted(_ours(module)):
            if target.startswith(module + "."):
                continue  # a package importing its own submodule
            if seen.get(target) == 1:
                cycle = (
                    [*path[path.index(target) :], target] if target in path else [module, target]
                )
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if target not in seen:
                visit(target, [*path, target])
        seen[module] = 2

    for module in sorted(OURS):
        if module not in seen:
            visit(module, [module])


def test_handlers_reach_the_database_only_through_the_services() -> None:
    handlers = [m for m in OURS if m.startswith("vodiy_bozor.bot.handlers.")]
    assert handlers
    for module in handlers:
        assert not any(m.startswith("vodiy_bozor.db") for m in GRAPH[module]), module
        assert "vodiy_bozor.app" not in GRAPH[module], module
    # The services are what handlers use instead: one per feature.
    services = {m for m in OURS if m.startswith("vodiy_bozor.services.")}
    assert {
        "vodiy_bozor.services.buyers",
        "vodiy_bozor.services.listings",
        "vodiy_bozor.services.moderation",
        "vodiy_bozor.services.promotions",
    } <= services
    used = set().union(*(_ours(m) for m in handlers))
    assert services <= used | {"vodiy_bozor.services"}


def test_the_top_level_holds_no_feature_modules() -> None:
    """A feature's service lives in `services/`, not beside the composition root: the top level
    is the entry point, settings, the root and the pure shared modules (ARCHITECTURE.md)."""
    top = sorted(m for m in OURS if m.count(".") == 1 and not (PACKAGE / m.split(".")[1]).is_dir())
    assert top == [
        "vodiy_bozor.__main__",
        "vodiy_bozor.app",
        "vodiy_bozor.captions",
        "vodiy_bozor.config",
        "vodiy_bozor.models",
    ]


def test_the_catalogue_reaches_the_database_only_through_the_services() -> None:
    """The Mini App is a front like the handlers: its reads and writes go through `Buyers`,
    the one owner of what a buyer may see."""
    webapp = [m for m in OURS if m == "vodiy_bozor.webapp" or m.startswith("vodiy_bozor.webapp.")]
    assert "vodiy_bozor.webapp.server" in webapp
    for module in webapp:
        assert not any(m.startswith("vodiy_bozor.db") for m in GRAPH[module]), module
        assert not any(m == "asyncpg" or m.startswith("asyncpg.") for m in GRAPH[module]), module
        assert "vodiy_bozor.app" not in GRAPH[module], module
    assert "vodiy_bozor.services.buyers" in _ours("vodiy_bozor.webapp.server")


# Calls that run SQL text on an asyncpg connection or pool.
_SQL_CALLS = frozenset({"execute", "executemany", "fetch", "fetchrow", "fetchval", "cursor"})


def _sql_literal(node: ast.expr) -> bool:
    """A string written in the call itself (plain or an f-string): SQL text, not a name."""
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def test_no_sql_text_outside_the_data_layer() -> None:
    found: list[str] = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "db":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in _SQL_CALLS
                and node.args
                and _sql_literal(node.args[0])
            ):
                found.append(f"{relative}:{node.lineno}")
    assert found == []


# Modules without I/O that any layer may use.
PURE = ("vodiy_bozor.models", "vodiy_bozor.text.", "vodiy_bozor.assistant.types")


def test_the_data_layer_knows_nothing_of_telegram() -> None:
    for module in (m for m in OURS if m.startswith("vodiy_bozor.db")):
        assert not any(m.startswith("aiogram") for m in GRAPH[module]), module
        assert not any(
            m.startswith("vodiy_bozor.") and not m.startswith(("vodiy_bozor.db", *PURE))
            for m in _ours(module)
        ), module


def test_only_the_entry_points_know_the_app() -> None:
    knows = sorted(
        m for m in OURS if "vodiy_bozor.app" in GRAPH[m] or "vodiy_bozor.app.App" in GRAPH[m]
    )
    assert knows == [
        "vodiy_bozor.__main__",
        "vodiy_bozor.assistant.evaluation",  # `vodiy-bozor assistant`: a command of its own
        "vodiy_bozor.runtime.check",
        "vodiy_bozor.runtime.serve",
    ]


def test_models_import_nothing_of_ours() -> None:
    assert _ours("vodiy_bozor.models") == set()


# What may never be imported by a module that only computes: the network, the database, the
# files of S3, and the layers of ours that do those.
_IO = ("asyncpg", "aiohttp", "aiogram", "aiobotocore", "botocore", "socket", "urllib.request")
_IO_OURS = (
    "vodiy_bozor.db",
    "vodiy_bozor.telegram",
    "vodiy_bozor.delivery",
    "vodiy_bozor.workers",
    "vodiy_bozor.runtime",
    "vodiy_bozor.bot",
    "vodiy_bozor.webapp",
    "vodiy_bozor.app",
)
# The assistant's signals: pure functions of an ad and the facts handed to them (hints.py is the
# one that reads those facts from the database and stores what the signals say). `text/` has
# its own, stricter test.
SIGNALS = (
    "vodiy_bozor.assistant.category",
    "vodiy_bozor.assistant.duplicates",
    "vodiy_bozor.assistant.photo_hash",
    "vodiy_bozor.assistant.prices",
    "vodiy_bozor.assistant.reader",
    "vodiy_bozor.assistant.scam",
)
# The value types the signals take live in `db/assistant.py` until the services' split moves
# them to `assistant/types.py` (issue 18 item 2); once that module exists, not even those.
_TYPES_IN_DB = "vodiy_bozor.db.assistant"


def _does_io(imported: str) -> bool:
    types_in_db = "vodiy_bozor.assistant.types" not in OURS
    if types_in_db and (imported == _TYPES_IN_DB or imported.startswith(_TYPES_IN_DB + ".")):
        return False
    return any(imported == m or imported.startswith(m + ".") for m in (*_IO, *_IO_OURS))


def test_the_assistants_signals_do_no_io() -> None:
    assert set(SIGNALS) <= OURS
    for module in SIGNALS:
        assert not [m for m in GRAPH[module] if _does_io(m)], module


def test_handlers_and_the_dialog_engine_never_touch_the_database_driver() -> None:
    # (bot/user_registry.py and bot/draft.py are the bot's own stores, below the handlers.)
    bot = [m for m in OURS if m.startswith("vodiy_bozor.bot.handlers.")]
    bot.append("vodiy_bozor.bot.dialog")
    for module in bot:
        assert not any(m == "asyncpg" or m.startswith("asyncpg.") for m in GRAPH[module]), module
        assert not any(m.startswith("vodiy_bozor.db") for m in GRAPH[module]), module


def test_the_dialog_engine_knows_no_dialog() -> None:
    """`bot/dialog.py` is generic over the draft, its needs and its buttons: it imports neither
    the ad's draft and buttons nor any service, so a second dialog reuses it as it is."""
    ad = ("vodiy_bozor.bot.draft", "vodiy_bozor.bot.callbacks", "vodiy_bozor.bot.handlers")
    reached = [
        m
        for m in _ours("vodiy_bozor.bot.dialog")
        if m.startswith((*ad, "vodiy_bozor.services", "vodiy_bozor.captions"))
    ]
    assert reached == []


def test_runtime_is_imported_only_by_the_entry_point() -> None:
    """Serving, the webhook, health, check and logs are the process's: only `__main__` starts
    them. Metrics are the exception: every layer counts into the registry they hold."""
    for module in OURS - {"vodiy_bozor.__main__"}:
        if module.startswith("vodiy_bozor.runtime"):
            continue
        reached = {
            m
            for m in _ours(module)
            if m.startswith("vodiy_bozor.runtime")
            and not m.startswith("vodiy_bozor.runtime.metrics")
        }
        assert not reached, (module, reached)


# Top-level packages that do I/O (database, network, files, processes, the event loop).
_IO_PACKAGES = frozenset(
    {"aiobotocore", "aiogram", "aiohttp", "asyncio", "asyncpg", "os", "pathlib", "socket"}
    | {"subprocess", "urllib"}
)


def test_text_is_pure_and_imports_only_models() -> None:
    text = {m for m in OURS if m == "vodiy_bozor.text" or m.startswith("vodiy_bozor.text.")}
    assert {"vodiy_bozor.text.fold", "vodiy_bozor.text.script", "vodiy_bozor.text.price"} <= text
    for module in text:
        assert _ours(module) <= {"vodiy_bozor.models", *text}, module
        assert not {m.split(".")[0] for m in GRAPH[module]} & _IO_PACKAGES, module
