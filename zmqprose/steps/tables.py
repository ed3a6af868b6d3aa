"""Reading a step's table and docstring, with clear errors when they are missing or malformed."""


from __future__ import annotations

from typing import Any

from behave.runner import Context

from zmqprose.errors import ProseError


def frame_table(context: Context) -> list[str]:
    """The frames of a ``| frame |`` table, one row per frame."""
    table = _table(context, "| frame |")
    if [heading.strip().lower() for heading in table.headings] != ["frame"]:
        written = "\n".join(f"    | {' | '.join(row)} |" for row in [table.headings, *table.rows])
        raise ProseError(
            "a frame table starts with the heading row | frame |, then one row per frame; "
            f"this one starts with | {' | '.join(table.headings)} |:\n{written}\n"
            "  write it as:\n    | frame |\n    | PING  |\n    | 42    |"
        )
    return [row[0] for row in table.rows]


def option_table(context: Context) -> dict[str, str]:
    """The options of an ``| option | value |`` table."""
    table = _table(context, "| option | value |")
    if [heading.strip().lower() for heading in table.headings] != ["option", "value"]:
        raise ProseError(
            f"an option table starts with the heading row | option | value |, then one row per option; "
            f"this one starts with | {' | '.join(table.headings)} |; write it as:\n"
            f"    | option | value |\n    | SNDHWM | 10    |"
        )
    return {row[0]: row[1] for row in table.rows}


def docstring(context: Context) -> str:
    """The step's docstring (the text between triple quotes)."""
    if not context.text:
        raise ProseError('this step needs a docstring: the text between """ lines, below the step')
    return str(context.text)


def _table(context: Context, heading: str) -> Any:
    if context.table is None:
        raise ProseError(f"this step needs a table below it, starting with the heading {heading}")
    return context.table
