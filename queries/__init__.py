"""Every SQL the product runs, one result per file, with ``$name`` parameters.

``run(con, "usage/kpis.sql", start=..., end=...)`` checks that the parameters given are exactly the ones the
file uses, then binds them: a value never becomes SQL text.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from typing import Any

_PARAM = re.compile(r"(?<![\w$])\$([a-z_][a-z0-9_]*)")
_COMMENT_OR_STRING = re.compile(r"--[^\n]*|'(?:[^']|'')*'")


@cache
def sql_text(name: str) -> str:
    """The text of ``queries/<name>``."""
    return files("queries").joinpath(name).read_text(encoding="utf-8")


@cache
def parameters(name: str) -> frozenset[str]:
    """The ``$name`` parameters a query file uses (comments and string literals ignored)."""
    return frozenset(_PARAM.findall(_COMMENT_OR_STRING.sub(" ", sql_text(name))))


def bind(name: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The SQL and its parameters, after checking they match exactly."""
    wanted, given = parameters(name), set(params)
    if wanted != given:
        missing, extra = sorted(wanted - given), sorted(given - wanted)
        raise TypeError(f"queries/{name}: missing parameters {missing}, unexpected {extra}")
    return sql_text(name), params


def run(con, name: str, **params: Any):
    """Execute a query file on a DuckDB connection and return the cursor."""
    sql, bound = bind(name, params)
    return con.execute(sql, bound) if bound else con.execute(sql)


def arrow(con, name: str, **params: Any):
    """A query file's result as an Arrow table (read straight from the relation, no extra copy)."""
    sql, bound = bind(name, params)
    with con.cursor() as cur:  # a fresh cursor: the connection may hold an earlier, finished result
        return cur.sql(sql, params=bound or None).to_arrow_table()


def rows(con, name: str, **params: Any) -> list[dict[str, Any]]:
    """A query file's result as a list of dicts (column name -> value)."""
    cur = run(con, name, **params)
    columns = [d[0] for d in cur.description]
    return [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]


def statements(name: str) -> list[str]:
    """The statements of a multi-statement file (our files end each statement with ';' at a line end)."""
    text = _COMMENT_OR_STRING.sub(lambda m: m.group(0) if m.group(0).startswith("'") else "", sql_text(name))
    return [part.strip() for part in re.split(r";\s*(?:\n|$)", text) if part.strip()]


def run_all(con, name: str, **params: Any) -> None:
    """Execute every statement of a file in order, each bound to the parameters it uses."""
    bind(name, params)
    for statement in statements(name):
        used = set(_PARAM.findall(_COMMENT_OR_STRING.sub(" ", statement)))
        subset = {key: params[key] for key in used}
        con.execute(statement, subset) if subset else con.execute(statement)


@cache
def folder(name: str) -> tuple[str, ...]:
    """The query files of ``queries/<name>/`` in name order (numbered steps)."""
    names = sorted(entry.name for entry in files("queries").joinpath(name).iterdir())
    return tuple(f"{name}/{file}" for file in names if file.endswith(".sql"))


def run_folder(con, name: str, **params: Any) -> None:
    """Execute the files of a folder in order (one file per derived table), each with the parameters it uses;
    together they must use exactly the parameters given."""
    steps = folder(name)
    wanted = frozenset().union(*(parameters(step) for step in steps))
    if wanted != set(params):
        missing, extra = sorted(wanted - set(params)), sorted(set(params) - wanted)
        raise TypeError(f"queries/{name}/: missing parameters {missing}, unexpected {extra}")
    for step in steps:
        run_all(con, step, **{key: params[key] for key in parameters(step)})
