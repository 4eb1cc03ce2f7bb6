"""What day it is for the register: the one place "today" is decided."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app


def today() -> dt.date:
    """Today in the register's time zone (``TIMEZONE``), which decides what is overdue."""
    return dt.datetime.now(ZoneInfo(current_app.config["TIMEZONE"])).date()
