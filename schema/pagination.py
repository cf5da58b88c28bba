"""Relay cursor connections: `first/after/last/before`, `totalCount` and `pageInfo`.

Cursors are opaque offsets into the list in its stated order. A page never holds more than
`MAX_PAGE_SIZE` items; without `first` or `last` it holds `DEFAULT_PAGE_SIZE`.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

import strawberry
from graphql import Node
from sqlalchemy import Row

from db.loaders import Page, Slice
from schema.context import Info
from schema.errors import InvalidCursorError, InvalidPaginationError

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
MAX_POSITION = 2**63  # cursors hold positions below it: a signed 64-bit integer

NodeT = TypeVar("NodeT")
RowT = TypeVar("RowT")


@strawberry.type(description="Where a page sits in its list (Relay `PageInfo`).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow this page.")
    has_previous_page: bool = strawberry.field(description="More items precede this page.")
    start_cursor: str | None = strawberry.field(description="Cursor of the first item here.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last item here.")


@strawberry.type(description="An item of a connection with its cursor.")
class Edge(Generic[NodeT]):
    cursor: str = strawberry.field(description="Pass to `after` or `before` to page from here.")
    node: NodeT = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list (a Relay connection).")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]] = strawberry.field(description="The items with their cursors.")
    nodes: list[NodeT] = strawberry.field(description="The items, without cursors.")
    page_info: PageInfo = strawberry.field(description="How to fetch the next or previous page.")
    total_count: int = strawberry.field(description="How many items the whole list holds.")


First = Annotated[
    int | None,
    strawberry.argument(description=f"Return the first n items (1 to {MAX_PAGE_SIZE})."),
]
After = Annotated[str | None, strawberry.argument(description="Return items after this cursor.")]
Last = Annotated[
    int | None,
    strawberry.argument(description=f"Return the last n items (1 to {MAX_PAGE_SIZE})."),
]
Before = Annotated[str | None, strawberry.argument(description="Return items before this cursor.")]


@dataclass(frozen=True)
class PageArgs:
    """The four Relay arguments as a client sent them."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None


def encode_cursor(number: int, kind: str = "cursor") -> str:
    """An opaque cursor for a position (`kind` tells lists' offsets from feeds' sequences)."""
    return base64.urlsafe_b64encode(f"{kind}:{number}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str, kind: str = "cursor") -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, number = raw.partition(":")
        # ASCII digits only (`isdigit` takes Thai ones too), and a position a database's
        # 64-bit integer can hold.
        if prefix != kind or not (number.isascii() and number.isdigit()):
            raise ValueError(raw)
        position = int(number)
        if position >= MAX_POSITION:
            raise ValueError(raw)
        return position
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidCursorError(f"{cursor!r} is not a cursor from this list") from None


def check_page_size(name: str, value: int | None, *, location: Node | None = None) -> None:
    """Refuse a page size outside 1 to MAX_PAGE_SIZE, reported at `location` when it is
    found before execution (`schema.limits` checks every page size then)."""
    if value is not None and not 1 <= value <= MAX_PAGE_SIZE:
        raise InvalidPaginationError(
            f"`{name}` must be between 1 and {MAX_PAGE_SIZE}, got {value}",
            at=location,
            argument=name,
            maximum=MAX_PAGE_SIZE,
        )


def page_slice(args: PageArgs) -> Slice:
    """The part of a list the four Relay arguments ask for, checked, cursors decoded."""
    check_page_size("first", args.first)
    check_page_size("last", args.last)
    if args.first is not None and args.last is not None:
        raise InvalidPaginationError("pass `first` or `last`, not both")
    return Slice(
        after=None if args.after is None else decode_cursor(args.after),
        before=None if args.before is None else decode_cursor(args.before),
        first=None if args.last is not None else args.first or DEFAULT_PAGE_SIZE,
        last=args.last,
    )


def window(part: Slice, total: int) -> tuple[int, int]:
    """The [start, end) positions of a list of `total` items that `part` asks for."""
    start = 0 if part.after is None else min(part.after + 1, total)
    end = total if part.before is None else min(part.before, total)
    end = max(start, end)
    if part.last is not None:
        start = max(start, end - part.last)
    else:
        end = min(end, start + (part.first or DEFAULT_PAGE_SIZE))
    return start, end


def _connection(
    rows: Sequence[RowT], start: int, total: int, convert: Callable[[RowT], NodeT]
) -> Connection[NodeT]:
    nodes = [convert(row) for row in rows]
    edges = [Edge(cursor=encode_cursor(start + i), node=node) for i, node in enumerate(nodes)]
    end = start + len(nodes)
    return Connection(
        edges=edges,
        nodes=nodes,
        page_info=PageInfo(
            has_next_page=end < total,
            has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
    )


def connection_from_page(
    page: Page, part: Slice, convert: Callable[[Row[Any]], NodeT]
) -> Connection[NodeT]:
    """A parent's page of a relation, as `db.loaders` cut it in SQL (see `Page`)."""
    start, end = window(part, page.total)
    rows = [row for row in page.rows if start <= row.page_position < end]
    return _connection(rows, start, page.total, convert)


async def connection_from_query(
    info: Info, statement: Any, args: PageArgs, convert: Callable[[Row[Any]], NodeT]
) -> Connection[NodeT]:
    """A page of a root list: one statement counts, one fetches the page."""
    db = info.context.db
    part = page_slice(args)
    total = await db.count(statement)
    start, end = window(part, total)
    rows = await db.page(statement, offset=start, limit=end - start)
    return _connection(rows, start, total, convert)


def sequence_page(
    rows: Sequence[Any],
    first: int,
    after: str | None,
    kind: str,
    total: int,
    item: Callable[[Any], NodeT],
) -> Connection[NodeT]:
    """A page of a feed read by sequence number (the change feed, the audit trail): `rows`
    holds up to `first + 1` rows after the cursor `after`, each with its `id`; the extra one
    tells whether another page follows."""
    page = [item(row) for row in rows[:first]]
    edges = [
        Edge(cursor=encode_cursor(row.id, kind), node=node)
        for row, node in zip(rows, page, strict=False)
    ]
    return Connection(
        edges=edges,
        nodes=page,
        page_info=PageInfo(
            has_next_page=len(rows) > first,
            has_previous_page=after is not None,
            start_cursor=edges[0].cursor if edges else None,
            # An empty page keeps the cursor it was asked from, so a client can resume there.
            end_cursor=edges[-1].cursor if edges else after,
        ),
        total_count=total,
    )
