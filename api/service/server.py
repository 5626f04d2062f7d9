"""Serving the app: one or several uvicorn processes on one listening socket, with Nagle's algorithm off.

Several processes share the load (each has its own event loop, register and rate-limit window); the store keeps
them consistent. The socket is made here with ``IPPROTO_TCP`` so accepted connections get ``TCP_NODELAY``:
uvicorn's own socket (0.54) leaves Nagle on, which costs each keep-alive request about 43 ms on Linux. Each
process freezes what it loaded at start out of the garbage collector's reach: a full collection of the register's
objects held the interpreter for 100-150 ms, in which even ``/v1/health`` could not answer.
"""

import gc
import multiprocessing
import socket

from api.settings import Settings


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(2048)
    listener.set_inheritable(True)
    return listener


def serve_one(listener: socket.socket, settings: Settings) -> None:
    """One server process: the app on the settings, then uvicorn on the shared socket until stopped."""
    import uvicorn

    from api.service.app import create_app

    app = create_app(settings)
    gc.freeze()  # what start-up loaded (the register) is never collected, so full collections stay short
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[listener])


def serve(settings: Settings, host: str, port: int, workers: int = 1) -> None:
    """Serve on ``host:port`` from ``workers`` processes (this one, where there is one) until stopped."""
    listener = listening_socket(host, port)
    if workers == 1:
        serve_one(listener, settings)
        return
    context = multiprocessing.get_context("fork")  # before any thread or connection is made
    processes = [context.Process(target=serve_one, args=(listener, settings)) for _ in range(workers)]
    for process in processes:
        process.start()
    try:
        for process in processes:
            process.join()
    finally:
        for process in processes:
            process.terminate()
