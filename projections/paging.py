"""Keyset paging of the read models' lists, for the web pages and the API alike.

A list has a stable order whose last column is unique. A page is up to ``limit`` rows after the row
whose unique value is ``after`` (none: from the top), with ``next``: that value of the page's last
row when more rows follow, to pass as ``after`` for the next page. Pages continue from a row's sort
key, not from a count, so a row added meanwhile never shifts a later page. An ``after`` that names
no row starts at the top.
"""

from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Connection, Select, and_, or_, select


class Page(NamedTuple):
    rows: list[dict[str, Any]]
    next: Any | None


class Key(NamedTuple):
    """One column of a list's order."""

    column: ColumnElement[Any]
    descending: bool = False


def page_of(rows: Sequence[dict[str, Any]], limit: int | None, unique: str) -> Page:
    """The page of ``rows``: up to ``limit + 1`` rows in the list's order, the one more than the
    page shows telling that more follow; ``unique`` names the rows' unique value."""
    if limit is None or len(rows) <= limit:
        return Page(list(rows), None)
    shown = list(rows[:limit])
    return Page(shown, shown[-1][unique] if shown else None)


def keyset_page(
    connection: Connection, query: Select[Any], order: Sequence[Key], *, after: Any | None = None,
    limit: int | None = None, offset: int = 0,
) -> Page:
    """``query`` ordered by ``order`` (its last key unique), paged after the row ``after``;
    ``offset`` skips rows beyond that (numbered pages); ``limit`` None: every row."""
    unique = order[-1].column
    if after is not None:
        # The sort key of the row to continue after, looked up rather than carried by the caller,
        # so a cursor is just that row's unique value.
        key = connection.execute(select(*(k.column for k in order)).where(unique == after)).first()
        if key is not None:
            query = query.where(_after(order, key))
    query = query.order_by(*(k.column.desc() if k.descending else k.column for k in order)).offset(offset or None)
    if limit is not None:
        query = query.limit(limit + 1)
    rows = [dict(row) for row in connection.execute(query).mappings()]
    return page_of(rows, limit, unique.key)


def _after(order: Sequence[Key], key: Sequence[Any]) -> ColumnElement[bool]:
    """Rows that sort after ``key``: equal on the first columns and after it on the next one."""
    alternatives = []
    for index, (column, descending) in enumerate(order):
        equal = [earlier.column == value for earlier, value in zip(order[:index], key)]
        beyond = column < key[index] if descending else column > key[index]
        alternatives.append(and_(*equal, beyond))
    return or_(*alternatives)
