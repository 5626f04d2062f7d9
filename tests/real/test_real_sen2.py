"""Synthetic SEN2 returns on the real register: each year's layout imports whole, every child at a real setting of
its drawn kind, in its council, at an English LSOA; and the same return with the other council named is refused."""

import pytest

from core.errors import PlacewiseError
from geodata.postcodes import load_postcode_directory
from geodata.sen2_return import read_return_file
from scenarios.sen2_cohort import checks_register, import_return
from scenarios.sen2_demo import generate_returns

KEY = b"a real-data test key, long enough for it"
HARTLEPOOL = "E06000001"


@pytest.mark.parametrize("year", [2023, 2024])
def test_a_generated_return_imports_whole(data_dir, tmp_path, year):
    generated = generate_returns(data_dir, (HARTLEPOOL,), tmp_path, seed=7, year=year, children=60)
    register = checks_register(data_dir)
    found = import_return(read_return_file(generated.returns[HARTLEPOOL], 10_000_000), HARTLEPOOL, register,
                          load_postcode_directory(generated.postcodes), KEY)
    cohort = found.cohort
    assert (found.persons, len(cohort), len(found.skipped)) == (60, 60, 0)
    assert cohort["current_provider_id"].isin(list(register.kinds)).all()
    assert cohort["home_lsoa"].str.startswith("E01").all() and cohort["age"].between(4, 18).all()
    assert set(cohort["current_kind"]) <= {"special_maintained", "special_academy", "independent_special",
                                           "non_maintained_special", "resourced_provision", "sen_unit"}
    with pytest.raises(PlacewiseError, match="another council's"):
        import_return(read_return_file(generated.returns[HARTLEPOOL], 10_000_000), "E06000002", register,
                      load_postcode_directory(generated.postcodes), KEY)


def test_nothing_personal_reaches_a_run_from_a_return(data_dir, tmp_path, monkeypatch, caplog):
    import logging

    from typer.testing import CliRunner

    from api.cli import app
    from scenarios.run import run_scenario, write_run
    from scenarios.schema import parse_scenario

    caplog.set_level(logging.DEBUG)
    generated = generate_returns(data_dir, (HARTLEPOOL,), tmp_path / "returns", seed=3, children=40)
    persons = read_return_file(generated.returns[HARTLEPOOL], 10_000_000).persons
    monkeypatch.setenv("PLACEWISE_PSEUDONYM_KEY", KEY.decode())
    cohort = tmp_path / "cohort.csv"
    imported = CliRunner().invoke(app, ["cohort", "import-sen2", str(generated.returns[HARTLEPOOL]), "--council",
                                        HARTLEPOOL, "--data", str(data_dir), "--postcodes", str(generated.postcodes),
                                        "--out", str(cohort)])
    assert imported.exit_code == 0, imported.output
    scenario = parse_scenario({"name": "Hartlepool today", "data": str(data_dir), "councils": [HARTLEPOOL],
                               "cohort": {"csv": str(cohort)}}, tmp_path / "scenario.yaml")
    run = run_scenario(scenario)
    assert run.kpis["baseline"]["children"] == 40
    written = write_run(run, tmp_path / "run")
    seen = imported.output + caplog.text + "".join(path.read_text(encoding="utf-8") for path in [cohort, *written])
    values = [value for person in persons for value in (
        person.birth_date, person.upn, person.uln, person.postcode, f"{person.forename} {person.surname}",
        f"{person.surname},{person.forename}") if value]
    assert len(values) >= 200
    for value in values:
        assert value not in seen, "a personal item of the return reached the import's or the run's output or logs"
