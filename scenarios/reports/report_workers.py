"""A run's report drawn beside its solve: two processes, forked before the run starts, import matplotlib (and
draw a throwaway chart, so the fonts are loaded) or geopandas (and load the council boundaries) while the run solves;
once it is done, one draws the charts from ``report_figures`` while the run folder is written, the other the map from
that folder, and this process puts the page together. The figures are the same ones ``write_report`` draws in one
process (the same functions, on the same data), drawn on both cores instead of one after the other.

Forking is only safe before any thread starts, so ``ReportWorkers.start`` forks only where this process has one
thread and the platform forks (and, unless told otherwise, a core is spare); anywhere else it starts nothing, and
``drawn`` returns None (the report then draws its figures itself).
"""

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable
from functools import partial
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import TracebackType
from typing import Any

from scenarios.reports.run_report import DrawnFigures, ReportFigures, draw_charts, draw_map


def _warm_charts() -> None:
    import pandas as pd

    from scenarios.reports.charts import bar_chart

    bar_chart(pd.Series([1, 2], index=["a", "b"]), "warm", "children")  # thrown away: the fonts are now loaded


def _warm_map(data_dir: Path | None, cache_dir: Path | None) -> None:
    import geopandas.plotting  # noqa: F401  (what drawing the councils imports)

    import scenarios.reports.maps  # noqa: F401  (matplotlib)
    from geodata.councils import load_council_boundaries

    if data_dir is not None:  # kept in the cache folder (built there on a cold start) for the map to read
        load_council_boundaries(data_dir, cache_dir)


def _serve(connection: Connection, warm: Callable[[], None], draw: Callable[..., Any]) -> None:
    """In the worker: warm up, wait for the arguments of one drawing, draw it and send back (True, what was drawn) or
    (False, the error). Where the run fails first, the parent closes the pipe and the worker ends quietly."""
    try:
        warm()
    except Exception:  # noqa: S110  (a missing boundaries file, say: drawing meets it again and says so)
        pass
    try:
        arguments = connection.recv()
    except (EOFError, KeyboardInterrupt):
        return
    try:
        connection.send((True, draw(*arguments)))
    except Exception as error:  # the parent raises it: a missing boundaries file is one clear line there too
        connection.send((False, error))
    finally:
        connection.close()


class ReportWorkers:
    """The two drawing processes of one run's report (a context manager: leaving it ends them)."""

    def __init__(self, data_dir: Path | None = None, cache_dir: Path | None = None, spare_cores_only: bool = True
                 ) -> None:
        """``data_dir``: the run's data folder, whose council boundaries the map worker loads while the run solves
        (kept in ``cache_dir``). ``spare_cores_only``: start no workers where the machine's load (over the last
        minute) already fills its cores, since there they only add their own imports to the work."""
        self._spare_cores_only = spare_cores_only
        self._warm_map = partial(_warm_map, data_dir, cache_dir)
        self._workers: dict[str, tuple[BaseProcess, Connection]] = {}
        self._asked: set[str] = set()

    def start(self) -> "ReportWorkers":
        if threading.active_count() != 1 or "fork" not in multiprocessing.get_all_start_methods():
            return self
        if self._spare_cores_only and os.getloadavg()[0] >= len(os.sched_getaffinity(0)):
            return self
        context = multiprocessing.get_context("fork")
        sys.stdout.flush()  # nothing buffered before the fork is written twice
        sys.stderr.flush()
        for name, warm, draw in (("charts", _warm_charts, draw_charts), ("map", self._warm_map, draw_map)):
            ours, theirs = context.Pipe()
            worker = context.Process(target=_serve, args=(theirs, warm, draw), name=f"placewise-{name}", daemon=True)
            worker.start()
            theirs.close()
            self._workers[name] = (worker, ours)
        return self

    def draw_charts(self, figures: ReportFigures) -> None:
        """Start the charts (as soon as the run is done: they need nothing from its folder)."""
        self._ask("charts", figures)

    def draw_map(self, folder: Path, cache_dir: Path | None) -> None:
        """Start the map, from a folder ``write_run`` has filled."""
        self._ask("map", folder, cache_dir)

    def drawn(self) -> DrawnFigures | None:
        """The figures, once both are drawn; None where no workers started."""
        if not self._workers:
            return None
        charts, map_png = (self._result(name) for name in ("charts", "map"))
        return DrawnFigures(charts=charts, map_png=map_png)

    def _ask(self, name: str, *arguments: Any) -> None:
        if self._workers:
            self._workers[name][1].send(arguments)
            self._asked.add(name)

    def _result(self, name: str) -> Any:
        if name not in self._asked:  # waiting would never end
            raise RuntimeError(f"the report's {name} drawing was never asked for")
        worker, connection = self._workers[name]
        try:
            done, value = connection.recv()
        except EOFError:
            worker.join()
            raise RuntimeError(f"the report's {name} process ended without drawing (exit code {worker.exitcode})"
                               ) from None
        if not done:
            raise value
        return value

    def __enter__(self) -> "ReportWorkers":
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        for worker, connection in self._workers.values():
            connection.close()  # a worker still waiting sees the pipe close and ends
            if error is not None:  # the run failed: its error is not kept waiting for a worker's warm-up
                worker.terminate()
            worker.join(timeout=10)
            if worker.is_alive():
                worker.terminate()
                worker.join()
        self._workers.clear()
        self._asked.clear()
