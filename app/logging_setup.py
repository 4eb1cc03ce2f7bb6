"""The process's logging: one handler on the root logger, writing to standard error.

``create_app`` calls :func:`configure_logging` with ``LOG_LEVEL`` and ``LOG_FORMAT``. However often
it runs (every gunicorn worker, every test app), the root logger keeps exactly one handler of
ours; a later call only changes its level and format.

Every record made while a web request or a scheduler job runs carries that request's id
(``request_id``) or that job run's id (``job_run_id``): the request hooks and the scheduler set
:data:`REQUEST_ID` and :data:`JOB_RUN_ID`, context variables, and the record factory installed
here copies them onto each record, whichever logger makes it and whichever handler (ours, or a
test's) writes it. A record may carry structured fields in ``extra={"fields": {...}}``: the JSON
format puts them beside the message, the text format leaves them in the message.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from contextvars import ContextVar
from typing import Any, TextIO

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

#: The id of the web request being handled in this context, if any.
REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
#: The id of the scheduler job run in this context, if any.
JOB_RUN_ID: ContextVar[str | None] = ContextVar("job_run_id", default=None)
#: The record attributes copied from those variables, in that order.
CONTEXT_FIELDS = ("request_id", "job_run_id")


def _context_record_factory(base: Any) -> Any:
    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = base(*args, **kwargs)
        record.request_id = REQUEST_ID.get()
        record.job_run_id = JOB_RUN_ID.get()
        return record

    make_record.carries_context = True  # type: ignore[attr-defined]
    return make_record


def install_record_factory() -> None:
    """Make every log record carry the request id and job run id of its context (once)."""
    current = logging.getLogRecordFactory()
    if not getattr(current, "carries_context", False):
        logging.setLogRecordFactory(_context_record_factory(current))


class TextFormatter(logging.Formatter):
    """:data:`TEXT_FORMAT`, with `` [request_id=…]`` or `` [job_run_id=…]`` at the end."""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        context = " ".join(
            f"{name}={value}"
            for name in CONTEXT_FIELDS
            if (value := getattr(record, name, None)) is not None
        )
        if not context:
            return text
        first, newline, rest = text.partition("\n")
        return f"{first} [{context}]{newline}{rest}"


class JSONFormatter(logging.Formatter):
    """One JSON object per record, on one line: time (ISO 8601, UTC), level, logger, message,
    ``request_id`` or ``job_run_id`` when made in a request or a job run, the record's
    ``fields`` (see above), and the traceback as ``exc_info`` (``stack_info`` likewise) when
    the record has one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in CONTEXT_FIELDS:
            if (value := getattr(record, name, None)) is not None:
                entry[name] = value
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update({key: value for key, value in fields.items() if key not in entry})
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exc_info"] = record.exc_text
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str)


class StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stderr`` is when a record arrives (test runners replace it)."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        """StreamHandler sets a stream of its own; this handler always looks it up."""


#: The one handler of this process.
HANDLER = StderrHandler()


def configure_logging(level: str = "INFO", log_format: str = "text") -> logging.Handler:
    """Give the root logger ``level`` and our one handler, formatting as ``log_format``."""
    install_record_factory()
    formatter = JSONFormatter() if log_format == "json" else TextFormatter(TEXT_FORMAT)
    HANDLER.setFormatter(formatter)
    root = logging.getLogger()
    if HANDLER not in root.handlers:
        root.addHandler(HANDLER)
    root.setLevel(level)
    return HANDLER
