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
