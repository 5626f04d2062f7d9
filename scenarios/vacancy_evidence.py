"""Vacancy reports (a setting's own, or its host council's) laid over the register, each figure with its evidence.

A report holds for ``max_age_days`` (the ``vacancy_max_age_days`` setting). Within that, the newest report of each
provider, need and need level holds: a need's figure is its newest report without a level, or the sum of its levels'
newest reports where one of those is newer; ``ALL`` is the whole setting. The provider's ``vacancies_note`` then
says who reported it and when ("reported by the setting on 3 December 2026"). Where every report of a provider is
older than that, none holds: the register's own figure (published or estimated) stands again, and the note says why
("the setting's report of 1 November 2026 is more than 30 days old").
"""

from datetime import date, datetime

import pandas as pd

from matcher.overrides import apply_vacancies

REPORT_COLUMNS = ["provider_id", "need", "need_level", "vacancies", "reporter", "at"]
REPORTER_WORDS = {"setting": "the setting", "council": "the council"}


def day_words(day: date) -> str:
    """A day as people write it: 3 December 2026."""
    return f"{day.day} {day:%B %Y}"


def apply_reports(providers: pd.DataFrame, reports: pd.DataFrame, today: date, max_age_days: int) -> pd.DataFrame:
    """Return a copy of ``providers`` with the reports that still hold applied, and ``vacancies_note`` on every
    provider that has reports (the evidence of its figure, or why its reports no longer hold).

    ``reports`` has ``REPORT_COLUMNS``, oldest first (``need_level`` may be missing; ``at`` a datetime).
    """
    reports = reports[reports["provider_id"].isin(providers.index)]
    if reports.empty:
        return providers
    age = reports["at"].map(lambda moment: (today - _day(moment)).days)
    fresh, stale = reports[age <= max_age_days], reports[age > max_age_days]
    updated = apply_vacancies(providers, _figures(fresh)) if not fresh.empty else providers.copy()
    notes = pd.Series(updated["vacancies_note"] if "vacancies_note" in updated else None, index=updated.index,
                      dtype=object)
    for provider_id, newest in stale.groupby("provider_id").tail(1).set_index("provider_id").iterrows():
        notes[provider_id] = (f"{REPORTER_WORDS[newest['reporter']]}'s report of {day_words(_day(newest['at']))} "
                              f"is more than {max_age_days} days old, so it no longer holds")
    for provider_id, newest in fresh.groupby("provider_id").tail(1).set_index("provider_id").iterrows():
        notes[provider_id] = f"reported by {REPORTER_WORDS[newest['reporter']]} on {day_words(_day(newest['at']))}"
    return updated.assign(vacancies_note=notes)


def _day(moment: datetime | date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _figures(reports: pd.DataFrame) -> pd.DataFrame:
    """``provider_id, need, vacancies`` for ``apply_vacancies``: the newest figure of each need (see the module)."""
    reports = reports.assign(order=range(len(reports)), level=reports["need_level"].fillna(0).astype(int))
    newest = reports.drop_duplicates(["provider_id", "need", "level"], keep="last")
    rows = []
    for (provider_id, need), group in newest.groupby(["provider_id", "need"], sort=False):
        whole = group[group["level"] == 0]
        levels = group[group["level"] > 0]
        if not whole.empty and (levels.empty or whole["order"].max() > levels["order"].max()):
            count = int(whole["vacancies"].iloc[-1])
        else:
            since = whole["order"].max() if not whole.empty else -1
            count = int(levels.loc[levels["order"] > since, "vacancies"].sum())
        rows.append((provider_id, need, count))
    return pd.DataFrame(rows, columns=["provider_id", "need", "vacancies"])


def evidence_counts(providers: pd.DataFrame, max_age_days: int) -> dict:
    """How many providers' figures rest on the setting's own report, the council's, or (a report too old) the
    register's estimate again: a run's KPIs say what its places rest on."""
    notes = providers["vacancies_note"].dropna().astype(str) if "vacancies_note" in providers else pd.Series([])
    return {"reported_by_the_setting": int(notes.str.startswith("reported by the setting").sum()),
            "reported_by_the_council": int(notes.str.startswith("reported by the council").sum()),
            "reports_too_old": int(notes.str.contains("no longer holds").sum()), "max_age_days": max_age_days}
