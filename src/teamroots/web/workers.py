"""Several worker processes on one port, each with its own listening socket (SO_REUSEPORT):
the kernel spreads new connections evenly over them. (With one shared socket, as uvicorn's own
--workers has it, the worker that wakes first takes most keep-alive connections and the others
idle: measured with bench/bench_web.py, one worker at 100 % CPU and the other at 0.)"""

from __future__ import annotations

import multiprocessing
import signal
import socket


def _listen(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _worker(host: str, port: int) -> None:
    import uvicorn

    from teamroots.config import Settings
    from teamroots.web.app import create_app

    sock = _listen(host, port)
    config = uvicorn.Config(create_app(Settings()), log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


def run_workers(host: str, port: int, workers: int) -> None:
    """Start ``workers`` processes and wait; Ctrl+C or SIGTERM stops them all."""
    context = multiprocessing.get_context("spawn")
    children = [context.Process(target=_worker, args=(host, port)) for _ in range(workers)]
    for child in children:
        child.start()

    def stop(*_args) -> None:
        for child in children:
            if child.is_alive():
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        for child in children:
            child.join()
    except KeyboardInterrupt:
        stop()
        for child in children:
            child.join(timeout=10)
