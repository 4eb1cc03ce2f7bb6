"""gunicorn settings for running the register in production, as `make bench` measures it.

    APP_ENV=production SECRET_KEY=… DATABASE_URL=… BASE_URL=… gunicorn -c gunicorn.conf.py

Ten worker processes (WEB_CONCURRENCY), each serving one request at a time. Many processes
rather than threads: a request mostly waits on the database, so ten fit on two cores, and eight
slow searches at once still leave workers free for /healthz and the list
(tests/test_query_timeout.py); every query stops at QUERY_TIMEOUT_SECONDS anyway. Threads
would use less memory, but under load with twelve threads per process the workers died of
segmentation faults in the PostgreSQL driver's C extension during garbage collection
(psycopg 3.3.9, `python -m benchmarks.load`); one thread per process cannot race that way.
GUNICORN_THREADS above 1 switches to threads for whoever wants to try them again.

A request that takes longer than ``timeout`` seconds is aborted: gunicorn kills that worker
and starts a new one, so a runaway page cannot hold a worker for minutes. The address comes
from BIND.
"""

import os

wsgi_app = "app:create_app()"
bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "10"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
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
