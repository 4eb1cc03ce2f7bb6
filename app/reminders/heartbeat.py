"""The scheduler's heartbeat: one row saying which process last ran and when (DESIGN §8).

The scheduler's ``heartbeat`` job calls :func:`beat` every minute, so an old ``beat_at`` means
that no scheduler has been running, or that it cannot reach the database (or its job threads
are all stuck). Flushes, never commits.
"""

from __future__ import annotations

import datetime as dt
import os
import socket

from sqlalchemy.dialects import postgresql, sqlite

from app.dbtypes import utcnow
from app.extensions import db
from app.reminders.models import SchedulerHeartbeat

#: When this process started, as the heartbeat reports it.
PROCESS_STARTED_AT = utcnow()


def beat(now: dt.datetime | None = None) -> None:
    """Write this process as the scheduler alive at ``now`` (default: the clock)."""
    values = {
        "host": socket.gethostname()[:255],
        "pid": os.getpid(),
        "started_at": PROCESS_STARTED_AT,
        "beat_at": now or utcnow(),
    }
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(SchedulerHeartbeat).values(id=1, **values)
    db.session.execute(
        statement.on_conflict_do_update(index_elements=["id"], set_=values),
        execution_options={"synchronize_session": False},
    )
