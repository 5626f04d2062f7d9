"""The vacancy reports as the store holds them, read as one table for the register and for a job's run, and the
version of them a server process checks its register against."""

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from api.platform.store.engine import sessions
from api.platform.store.models import VacancyReport
from scenarios.vacancy_evidence import REPORT_COLUMNS


def stored_reports(engine: Engine, up_to_id: int | None = None) -> pd.DataFrame:
    """Every vacancy report in the store (up to that id), oldest first, as ``REPORT_COLUMNS``."""
    query = select(VacancyReport).order_by(VacancyReport.id)
    if up_to_id is not None:
        query = query.where(VacancyReport.id <= up_to_id)
    with sessions(engine)() as session:
        rows = [(report.provider_id, report.need, report.need_level, report.vacancies, report.reporter, report.at)
                for report in session.scalars(query)]
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)


def reports_version(connection: Connection) -> tuple[int, int]:
    """How many reports the store holds, and the newest one's id (0 where there is none): one indexed query."""
    return as_version(*connection.execute(REPORTS_VERSION).one())


def as_version(count: int, newest: int | None) -> tuple[int, int]:
    """``REPORTS_VERSION``'s two columns as ``reports_version`` gives them."""
    return int(count), int(newest or 0)


# how many reports, and the newest one's id; a query of its own, or a subquery of the gate's (``gate.RequestGate``)
REPORTS_VERSION = select(func.count(VacancyReport.id).label("reports"), func.max(VacancyReport.id).label("newest"))
