"""Valid documents, parsed and validated once per process and then found by their text.

Strawberry's `ParserCache` and `ValidationCache` bound their caches by entries only, keep
documents that failed validation with all their errors, and hash the whole syntax tree on
every lookup. On a public endpoint an entry can be a 5,000-token document of about 3 MB in
memory, so this cache keeps only documents that passed validation, and bounds what it holds
by the length of their text (a syntax tree takes about a hundred times its text).
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

from graphql import DocumentNode, StringValueNode, Visitor, visit
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

# About a thousand typical documents (a few hundred characters to a few kilobytes each), and
# at most about 100 MB of syntax trees however large the documents sent.
DEFAULT_CHARACTERS = 1_000_000


T = TypeVar("T")

# Per document, the variables of this many requests keep what was worked out for them.
WORKED_OUT_PER_DOCUMENT = 32


class _StringLiterals(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.values: list[str] = []

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        self.values.append(node.value)


class Prepared:
    """A valid document and what the extensions work out from it once rather than on every
    request: its string literals, and per operation and variables (an analysis, a plan)."""

    __slots__ = ("_literals", "_worked_out", "document")

    def __init__(self, document: DocumentNode) -> None:
        self.document = document
        self._literals: list[str] | None = None
        self._worked_out: dict[tuple[str, str | None, str], Any] = {}

    def literals(self) -> list[str]:
        if self._literals is None:
            self._literals = string_literals(self.document)
        return self._literals

    def worked_out(
        self,
        what: str,
        operation_name: str | None,
        variables: Mapping[str, Any] | None,
        work: Callable[[], T],
    ) -> T:
        """`work()`'s result for these variables, worked out on the first request that sent
        them. What `work` raises is raised again each time (nothing is kept)."""
        key = _key(what, operation_name, variables)
        if key in self._worked_out:
            result: T = self._worked_out[key]
            return result
        result = work()
        self.note(what, operation_name, variables, result)
        return result

    def note(
        self, what: str, operation_name: str | None, variables: Mapping[str, Any] | None, value: Any
    ) -> None:
        """Keep `value` as what was found out for these variables."""
        if len(self._worked_out) < WORKED_OUT_PER_DOCUMENT:
            self._worked_out[_key(what, operation_name, variables)] = value

    def noted(
        self, what: str, operation_name: str | None, variables: Mapping[str, Any] | None
    ) -> Any:
        return self._worked_out.get(_key(what, operation_name, variables))


def _key(
    what: str, operation_name: str | None, variables: Mapping[str, Any] | None
) -> tuple[str, str | None, str]:
    return (what, operation_name, json.dumps(variables, sort_keys=True, default=str))


def string_literals(document: DocumentNode) -> list[str]:
    literals = _StringLiterals()
    visit(document, literals)
    return literals.values


class ValidDocuments:
    """The most recently used valid documents of one schema, up to `characters` of text in
    all. Lookups and stores never await, so requests need no lock."""

    def __init__(self, characters: int = DEFAULT_CHARACTERS) -> None:
        self.characters = characters
        self._held = 0
        self._documents: OrderedDict[str, Prepared] = OrderedDict()

    def get(self, query: str | None) -> Prepared | None:
        if query is None or (prepared := self._documents.get(query)) is None:
            return None
        self._documents.move_to_end(query)
        return prepared

    def running(self, execution: ExecutionContext) -> Prepared | None:
        """What is kept for the request's document, if it is the one the request runs."""
        prepared = self.get(execution.query)
        if prepared is None or prepared.document is not execution.graphql_document:
            return None
        return prepared

    def put(self, query: str, document: DocumentNode) -> None:
        if query in self._documents or len(query) > self.characters:
            return
        self._documents[query] = Prepared(document)
        self._held += len(query)
        while self._held > self.characters:
            oldest, _ = self._documents.popitem(last=False)
            self._held -= len(oldest)


class CachedDocuments(SchemaExtension):
    """Skip parsing and validation for a document this process has already validated.

    Validation depends only on the document and the schema (its rules included, fixed when
    the schema is built), so `documents` belongs to one schema. A document that fails to
    parse or validate is not kept: its errors are worked out again, as before.
    """

    def __init__(self, documents: ValidDocuments) -> None:
        super().__init__()
        self.documents = documents
        self.hit = False

    def on_parse(self) -> Iterator[None]:
        execution = self.execution_context
        if execution.query is not None and execution.graphql_document is None:
            prepared = self.documents.get(execution.query)
            if prepared is not None:
                # Strawberry parses only when no document is set.
                execution.graphql_document = prepared.document
                self.hit = True
        yield

    def on_validate(self) -> Iterator[None]:
        execution = self.execution_context
        if self.hit:
            # Strawberry validates only while no validation errors are set, not even none.
            execution.pre_execution_errors = []
        yield
        if (
            not self.hit
            and execution.pre_execution_errors == []
            and execution.query is not None
            and execution.graphql_document is not None
        ):
            self.documents.put(execution.query, execution.graphql_document)
