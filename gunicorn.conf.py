"""gunicorn settings for running the register in production, as `make bench` measures it.

    APP_ENV=production SECRET_KEY=… DATABASE_URL=… BASE_URL=… gunicorn -c gunicorn.conf.py

Two synchronous workers (WEB_CONCURRENCY), each serving one request at a time. A request that
takes longer than ``timeout`` seconds is aborted: gunicorn kills that worker and starts a new
one, so a runaway page cannot hold a worker for minutes. The address comes from BIND.
"""

import os

wsgi_app = "app:create_app()"
bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
timeout = 30
graceful_timeout = 10
# No control socket: its default path is shared by every gunicorn of the user on the machine.
control_socket_disable = True
