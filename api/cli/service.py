"""The service's commands: ``serve`` the HTTP API and run a ``worker`` for scenario jobs."""

from typing import Annotated

import typer

from api.cli.common import DataOption, clear_errors, console, settings


def worker(data: DataOption = None,
           once: Annotated[bool, typer.Option("--once", help="Stop when the queue is empty.")] = False) -> None:
    """Run scenario jobs from the store's queue (the database_url setting) until stopped."""
    with clear_errors():
        from api.platform.jobs.worker import run_worker
        from api.platform.store.engine import make_engine

        config = settings()
        if data is not None:
            config = config.model_copy(update={"data": data})
        done = run_worker(make_engine(config.database_url), config, once=once)
        console.print(f"Ran {done} jobs")


def serve(host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
          port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
          data: DataOption = None,
          workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Server processes sharing the "
                                               "port (each loads the register).")] = 1) -> None:
    """Start the HTTP API (uvicorn) on the store of the database_url setting (placewise.db by default)."""
    with clear_errors():
        from api.platform.store.engine import make_engine
        from api.server import serve as serve_processes

        config = settings()
        if data is not None:
            config = config.model_copy(update={"data": data})
        make_engine(config.database_url).dispose()  # the store answers and is migrated, or one clear line
        console.print(f"Serving on http://{host}:{port}/v1/docs from {workers} process(es)")
        serve_processes(config, host, port, workers)
