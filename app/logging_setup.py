"""The process's logging: one handler on the root logger, writing to standard error.

``create_app`` calls :func:`configure_logging` with ``LOG_LEVEL`` and ``LOG_FORMAT``. However often
it runs (every gunicorn worker, every test app), the root logger keeps exactly one handler of
ours; a later call only changes its level and format.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from typing import TextIO

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JSONFormatter(logging.Formatter):
    """One JSON object per record, on one line: time (ISO 8601, UTC), level, logger, message,
    and the traceback as ``exc_info`` (``stack_info`` likewise) when the record has one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, str] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exc_info"] = record.exc_text
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry)


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
    formatter = JSONFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)
    HANDLER.setFormatter(formatter)
    root = logging.getLogger()
    if HANDLER not in root.handlers:
        root.addHandler(HANDLER)
    root.setLevel(level)
    return HANDLER
