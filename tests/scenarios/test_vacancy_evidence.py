"""Vacancy reports laid over the register with their evidence: the newest figure of each need and level holds, a
need's levels add up, and reports older than the limit fall back to the register's own figure with a sentence."""

from datetime import UTC, date, datetime

import pandas as pd

from scenarios.vacancy_evidence import REPORT_COLUMNS, apply_reports, day_words

TODAY = date(2026, 12, 7)


def providers() -> pd.DataFrame:
    return pd.DataFrame({"vacancies": pd.array([5, 7], dtype="Int64"), "vacancies_source": ["estimated", "estimated"],
                         "need_vacancies": [{}, {}]}, index=pd.Index([1, 2], name="provider_id"))


def reports(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=REPORT_COLUMNS)


def at(day: int, month: int = 12) -> datetime:
    return datetime(2026, month, day, 10, tzinfo=UTC)


def test_the_newest_figures_hold_and_levels_add_up():
    laid = apply_reports(providers(), reports(
        (1, "ASD", None, 4, "council", at(1)),     # superseded by the levels reported after it
        (1, "ASD", 2, 2, "setting", at(3)),
        (1, "ASD", 3, 1, "setting", at(3)),
        (1, "ASD", 3, 0, "setting", at(5)),        # level 3 filled: the newest of that level holds
        (1, "ALL", None, 6, "setting", at(5))), TODAY, 30)
    assert laid.at[1, "need_vacancies"] == {"ASD": 2}  # level 2's 2 + level 3's 0
    assert laid.at[1, "vacancies"] == 6 and laid.at[1, "vacancies_source"] == "reported"
    assert laid.at[1, "vacancies_note"] == "reported by the setting on 5 December 2026"
    assert pd.isna(laid.at[2, "vacancies_note"]) and laid.at[2, "vacancies"] == 7  # no report: untouched


def test_a_whole_need_report_after_the_levels_replaces_them():
    laid = apply_reports(providers(), reports((1, "ASD", 2, 2, "setting", at(3)),
                                              (1, "ASD", None, 1, "council", at(4))), TODAY, 30)
    assert laid.at[1, "need_vacancies"] == {"ASD": 1}
    assert laid.at[1, "vacancies_note"] == "reported by the council on 4 December 2026"


def test_stale_reports_fall_back_to_the_estimate_with_a_sentence():
    laid = apply_reports(providers(), reports((2, "ALL", None, 1, "setting", at(1, 11)),
                                              (1, "ALL", None, 3, "setting", at(7, 11))), TODAY, 30)
    assert laid.at[2, "vacancies"] == 7 and laid.at[2, "vacancies_source"] == "estimated"
    assert laid.at[2, "vacancies_note"] == ("the setting's report of 1 November 2026 is more than 30 days old, so it "
                                            "no longer holds")
    assert laid.at[1, "vacancies"] == 3  # 7 November to 7 December is 30 days: it still holds
    assert day_words(date(2026, 12, 3)) == "3 December 2026"


def test_a_run_with_the_stores_reports_says_what_its_free_places_rest_on(tmp_path):
    """The demo, re-planned on free places only, with a setting's own report today and a council's three months old:
    the setting's figure holds and says so in providers.csv; the old one falls back with its sentence; the KPIs
    count both."""
    from datetime import timedelta

    from scenarios.run import run_scenario, write_run
    from scenarios.schema import load_scenario
    from tests.helpers.samples import LIBRARY

    scenario = load_scenario(LIBRARY / "demo.yaml").model_copy(update={"capacity": "vacancies"})
    now = datetime.now(UTC)
    stored = reports((900002, "ALL", None, 7, "setting", now), (900003, "ALL", None, 30, "council",
                                                                 now - timedelta(days=90)))
    run = run_scenario(scenario, vacancy_reports=stored, vacancy_max_age_days=30)
    assert run.kpis["vacancy_evidence"] == {"reported_by_the_setting": 1, "reported_by_the_council": 0,
                                            "reports_too_old": 1, "max_age_days": 30}
    write_run(run, tmp_path)
    written = pd.read_csv(tmp_path / "providers.csv").set_index("provider_id")
    assert written.at[900002, "vacancies_note"] == f"reported by the setting on {day_words(date.today())}"
    assert "more than 30 days old" in written.at[900003, "vacancies_note"]
    assert written.at[900003, "vacancies"] != 30
    placed = run.allocation.assignments()
    assert (placed["provider_id"] == 900002).sum() <= 7  # the setting's own figure is the capacity
