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
    assert {"vodiy_bozor.services.listings", "vodiy_bozor.services.moderation"} <= services
    used = set().union(*(_ours(m) for m in handlers))
    assert services <= used | {"vodiy_bozor.services"}


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
PURE = (
    "vodiy_bozor.models",
    "vodiy_bozor.parsing",
    "vodiy_bozor.search_text",
    "vodiy_bozor.assistant.types",
)


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
