"""Dask clusters for the work that fans out (a sweep's variants, a run's parts): a ``LocalCluster`` of worker
processes on this machine, or a running scheduler named by its address."""

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from core.errors import PlacewiseError

LOCAL = "local"  # the scheduler "address" that starts a LocalCluster here
CONNECT_TIMEOUT_S = 5


@contextmanager
def dask_client(scheduler: str | None = None, workers: int = 2) -> Iterator[Any]:
    """A ``dask.distributed`` client, closed on leaving: of a new ``LocalCluster`` of ``workers`` processes (no
    scheduler, or ``local``), or of the running scheduler at ``scheduler``, or a clear error within seconds."""
    from dask.distributed import Client, LocalCluster

    cluster = None
    if scheduler is None or scheduler == LOCAL:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.WARNING)
        client = Client(cluster)
    else:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
        except (OSError, TimeoutError, ValueError) as error:
            raise PlacewiseError(f"--scheduler: nothing answered at that address within {CONNECT_TIMEOUT_S} s "
                                 f"({type(error).__name__}); check it and that the scheduler runs, or give "
                                 f"'{LOCAL}' for a cluster on this machine") from None
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def check_scheduler(scheduler: str | None) -> None:
    """Fail within seconds where a named scheduler does not answer, before any input is prepared."""
    if scheduler is not None and scheduler != LOCAL:
        with dask_client(scheduler):
            pass


def worker_count(client: Any, asked: int) -> int:
    """How many workers the client's cluster has (``asked`` where the scheduler does not say)."""
    return len(client.scheduler_info().get("workers", {})) or asked


def client_mapper(client: Any) -> Callable[..., Iterable[Any]]:
    """A ``map(function, *iterables)`` whose calls run on the client's workers, gathered in order (each call is
    submitted as its arguments come, so a lazy iterable's items need not all be held here at once)."""

    def mapper(function: Callable[..., Any], *iterables: Iterable[Any]) -> list[Any]:
        futures = [client.submit(function, *arguments, pure=False) for arguments in zip(*iterables, strict=True)]
        return list(client.gather(futures))

    return mapper
