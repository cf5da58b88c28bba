"""Log lines as JSON objects (or readable text), one a line, for every logger in the process.

The code logs through the standard library (`logging.getLogger(...)`, details in `extra=`),
as do uvicorn and SQLAlchemy; structlog's `ProcessorFormatter` renders all of their records
with one chain: time, level, logger, message, the `extra` fields, the request ID of the
request being served, and any traceback.
"""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar
from typing import Any, Literal

import orjson
import structlog
from structlog.typing import EventDict, WrappedLogger

# The `scope["state"]` of the request this task is serving (set by
# `api.observation.ObservationMiddleware`), so that any line logged for it carries its ID.
REQUEST: ContextVar[dict[str, Any] | None] = ContextVar("request", default=None)


def _request_id(_logger: WrappedLogger, _method: str, event: EventDict) -> EventDict:
    state = REQUEST.get()
    if state is not None and "request_id" not in event and "request_id" in state:
        event["request_id"] = state["request_id"]
    return event


def _without_colours(_logger: WrappedLogger, _method: str, event: EventDict) -> EventDict:
    # uvicorn passes its message again with terminal colour codes, as an `extra`.
    event.pop("color_message", None)
    return event


def _json(event: EventDict, **_options: Any) -> str:
    # Anything orjson cannot write natively (a Decimal, a path) is written as its text.
    return orjson.dumps(event, default=str).decode()


def formatter(log_format: Literal["json", "text"]) -> logging.Formatter:
    """Renders any `logging` record as one JSON object, or as a readable line for `text`."""
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer(serializer=_json)
        if log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[
            structlog.processors.TimeStamper(fmt="iso", utc=True, key="timestamp"),
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            structlog.stdlib.ExtraAdder(),
            _without_colours,
            _request_id,
        ],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            structlog.processors.EventRenamer("message"),
            renderer,
        ],
    )


def configure(log_format: Literal["json", "text"]) -> None:
    """Send every logger's records at INFO and above to stdout in `log_format`, in place of
    uvicorn's own handlers; uvicorn's access log is dropped, as
    `api.observation.ObservationMiddleware` writes one line per request with more in it."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(formatter(log_format))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    # With no handler anywhere, uvicorn does not even format its access lines.
    uvicorn_access = logging.getLogger("uvicorn.access")
    uvicorn_access.handlers.clear()
    uvicorn_access.propagate = False
