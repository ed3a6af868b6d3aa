"""Reading a step's table and docstring, with clear errors when they are missing or malformed."""

from __future__ import annotations

from zmqprose.errors import ProseError


def frame_table(context) -> list[str]:
    """The frames of a ``| frame |`` table, one row per frame."""
    table = _table(context, "| frame |")
    if len(table.headings) != 1:
        raise ProseError(f"a frame table has one column, headed 'frame'; this one has {table.headings}")
    return [row[0] for row in table.rows]


def option_table(context) -> dict[str, str]:
    """The options of an ``| option | value |`` table."""
    table = _table(context, "| option | value |")
    if [heading.lower() for heading in table.headings] != ["option", "value"]:
        raise ProseError(f"an option table has two columns, 'option' and 'value'; this one has {table.headings}")
    return {row[0]: row[1] for row in table.rows}


def docstring(context) -> str:
    """The step's docstring (the text between triple quotes)."""
    if not context.text:
        raise ProseError('this step needs a docstring: the text between """ lines, below the step')
    return context.text


def _table(context, heading: str):
    if context.table is None:
        raise ProseError(f"this step needs a table below it, starting with the heading {heading}")
    return context.table
