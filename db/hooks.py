"""Session hooks that keep derived data in step with every write through any ORM session:
the change feed (and the data version behind every ETag) and the search documents.

They are installed explicitly where a process starts (the app factory, the CLI, the tests),
never as a side effect of an import; installing twice is harmless.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from db import changes, search

# In the order they run: the feed's rows are written before the search documents.
_HOOKS: tuple[tuple[str, Callable[..., Any]], ...] = (
    ("before_flush", changes.touch_parents),
    ("after_flush", changes.record_changes),
    ("after_flush", search.keep_documents_in_step),
)


def install() -> None:
    """Listen on every `Session`'s flushes (once, however often this is called)."""
    for name, hook in _HOOKS:
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)
