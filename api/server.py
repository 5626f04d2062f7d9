"""Serving the app: one or several uvicorn processes on one port, with Nagle's algorithm off.

Several processes share the load (each has its own event loop, register and rate-limit window); the store keeps
them consistent. Each has its own listening socket on the port (``SO_REUSEPORT``), so the kernel spreads new
connections across them: on one shared socket, whichever process woke first took every connection waiting
(asyncio accepts them in a batch), and a client's keep-alive connections could all land on one process. Sockets
are made here with ``IPPROTO_TCP`` so accepted connections get ``TCP_NODELAY``: uvicorn's own socket (0.54)
leaves Nagle on, which costs each keep-alive request about 43 ms on Linux. Each
process freezes what it loaded at start out of the garbage collector's reach: a full collection of the register's
objects held the interpreter for 100-150 ms, in which even ``/v1/health`` could not answer.

Proxy headers (``X-Forwarded-For``, ``X-Forwarded-Proto``) are believed only from the addresses of the
``forwarded_allow_ips`` setting, none by default: uvicorn's own default believes them from 127.0.0.1, so anything on
the same machine could name any client address it liked and dodge the limits kept per address.
"""

import gc
import multiprocessing
import socket
from typing import Any

from api.settings import Settings


def listening_socket(host: str, port: int, reuse_port: bool = False, listen: bool = True) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    listener.bind((host, port))
    if listen:
        listener.listen(2048)
    listener.set_inheritable(True)
    return listener


def serve_one(listener: socket.socket, settings: Settings) -> None:
    """One server process: the app on the settings, then uvicorn on the socket until stopped."""
    from api.app import create_app

    run_app(create_app(settings), listener)


def run_app(app: Any, listener: socket.socket) -> None:
    """Uvicorn on the socket until stopped, with what start-up loaded frozen out of the collector's reach."""
    import uvicorn

    gc.freeze()  # what start-up loaded (the register) is never collected, so full collections stay short
    uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False,
                                  **proxy_options(app.state.settings))).run(sockets=[listener])


def proxy_options(settings: Settings) -> dict[str, Any]:
    """Uvicorn's proxy-header options from the ``forwarded_allow_ips`` setting: off unless proxies are named."""
    trusted = [item.strip() for item in settings.forwarded_allow_ips.split(",") if item.strip()]
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": trusted or ""}


def serve_on_port(host: str, port: int, settings: Settings) -> None:
    """One of several server processes: its own socket on the shared port, then ``serve_one``."""
    serve_one(listening_socket(host, port, reuse_port=True), settings)


def serve(settings: Settings, host: str, port: int, workers: int = 1) -> None:
    """Serve on ``host:port`` from ``workers`` processes (this one, where there is one) until stopped."""
    if workers == 1:
        serve_one(listening_socket(host, port), settings)
        return
    claim = listening_socket(host, port, reuse_port=True, listen=False)  # the port is free, and held for them
    from api.platform.store.engine import make_engine

    make_engine(settings.database_url).dispose()  # migrated once, here: processes migrating a new store together race
    context = multiprocessing.get_context("fork")  # before any thread or connection is made
    processes = [context.Process(target=serve_on_port, args=(host, claim.getsockname()[1], settings))
                 for _ in range(workers)]
    for process in processes:
        process.start()
    try:
        for process in processes:
            process.join()
    finally:
        for process in processes:
            process.terminate()
