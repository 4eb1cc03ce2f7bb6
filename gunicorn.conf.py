"""gunicorn settings for running the register in production, as `make bench` measures it.

    APP_ENV=production SECRET_KEY=… DATABASE_URL=… BASE_URL=… gunicorn -c gunicorn.conf.py

Two worker processes (WEB_CONCURRENCY, one per core), each serving up to twelve requests at
once in threads (GUNICORN_THREADS). Threads because a request mostly waits: on the database
(both drivers let other threads run meanwhile) or on a slow client. With one request per
process, two slow searches took the whole site down; now eight slow searches at once still
leave free threads for /healthz and the list (tests/test_query_timeout.py), and every query
stops at QUERY_TIMEOUT_SECONDS anyway. A request that takes longer than ``timeout`` seconds is
aborted: gunicorn kills that worker and starts a new one, so a runaway page cannot hold a
worker for minutes. The address comes from BIND.
"""

import os

wsgi_app = "app:create_app()"
bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "12"))
timeout = 30
graceful_timeout = 10
# No control socket: its default path is shared by every gunicorn of the user on the machine.
control_socket_disable = True


# Prometheus metrics from every worker (DESIGN §6): with PROMETHEUS_MULTIPROC_DIR set, each
# worker writes its request counts into that directory and /metrics adds them up. The directory
# is emptied when gunicorn starts (old workers' counts would otherwise live on), and a worker
# that exits is marked dead so that its gauges, if any, are dropped.
def on_starting(server):
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            if name.endswith(".db"):
                os.remove(os.path.join(directory, name))


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
