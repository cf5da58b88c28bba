"""Valid documents, parsed and validated once per process and then found by their text.

Strawberry's `ParserCache` and `ValidationCache` bound their caches by entries only, keep
documents that failed validation with all their errors, and hash the whole syntax tree on
every lookup. On a public endpoint an entry can be a 5,000-token document of about 3 MB in
memory, so this cache keeps only documents that passed validation, and bounds what it holds
by the length of their text (a syntax tree takes about a hundred times its text).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator

from graphql import DocumentNode
from strawberry.extensions import SchemaExtension

# About a thousand typical documents (a few hundred characters to a few kilobytes each), and
# at most about 100 MB of syntax trees however large the documents sent.
DEFAULT_CHARACTERS = 1_000_000


class ValidDocuments:
    """The most recently used valid documents of one schema, up to `characters` of text in
    all. Lookups and stores never await, so requests need no lock."""

    def __init__(self, characters: int = DEFAULT_CHARACTERS) -> None:
        self.characters = characters
        self._held = 0
        self._documents: OrderedDict[str, DocumentNode] = OrderedDict()

    def get(self, query: str) -> DocumentNode | None:
        document = self._documents.get(query)
        if document is not None:
            self._documents.move_to_end(query)
        return document

    def put(self, query: str, document: DocumentNode) -> None:
        if query in self._documents or len(query) > self.characters:
            return
        self._documents[query] = document
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
            document = self.documents.get(execution.query)
            if document is not None:
                # Strawberry parses only when no document is set.
                execution.graphql_document = document
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
