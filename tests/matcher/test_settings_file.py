"""A council's settings file: the settings it names as SEN provision, with kind, places and boarding; bad rows named."""

import re

import numpy as np
import pandas as pd
import pytest

from core.errors import PlacewiseError
from geodata.user_files import load_designations_file, load_settings_file
from matcher.overrides import apply_designations, apply_settings
from tests.helpers.factories import make_providers

HEADER = "urn,kind,places,boarding,needs\n"


def write(tmp_path, text, name="settings.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def providers_with_an_independent_mainstream_school():
    providers = make_providers({}, {"kind": "mainstream", "places": 0, "vacancies": 0, "on_roll": 1200,
                                    "ehcp_on_roll": 14, "residential": None})
    providers["provision_named"] = [True, False]
    providers["is_special_school"] = [True, False]
    return providers


def test_a_settings_file_names_a_school_as_provision_with_its_places_and_boarding(tmp_path):
    table = load_settings_file(write(tmp_path, HEADER + "2,independent_special,12,yes,ASD;SEMH\n"))
    named = apply_settings(providers_with_an_independent_mainstream_school(), table).loc[2]
    assert named["kind"] == "independent_special" and named["places"] == 12 and named["places_source"] == "reported"
    assert bool(named["residential"]) is True and bool(named["provision_named"]) is True
    assert named["designated_needs"] == ("ASD", "SEMH") and bool(named["is_special_school"]) is True


def test_unknown_boarding_and_empty_needs_keep_what_is_not_known(tmp_path):
    table = load_settings_file(write(tmp_path, HEADER + "1,special_academy,80,unknown,\n"))
    named = apply_settings(providers_with_an_independent_mainstream_school(), table).loc[1]
    assert pd.isna(named["residential"]) and named["designated_needs"] == ("ASD",) and named["places"] == 80


@pytest.mark.parametrize(("row", "message"), [
    ("x1,special_academy,8,no,ASD", "row(s) 2: urn must be a whole number"),
    ("1,special_academy,8,sometimes,ASD", "row(s) 2: boarding must be yes, no or unknown"),
    ("1,a_castle,8,no,ASD", "row(s) 2: kind must be one of"),
    ("1,special_academy,-3,no,ASD", "row(s) 2: places must be a whole number"),
    ("1,special_academy,8,no,AUTISM", "row(s) 2: needs must be SEN2 codes"),
])
def test_a_bad_row_is_named(tmp_path, row, message):
    with pytest.raises(PlacewiseError, match=re.escape(message.replace("row(s) 2", "row(s) 3"))):
        load_settings_file(write(tmp_path, HEADER + "5,special_academy,8,no,ASD\n" + row + "\n"))


def test_a_urn_not_in_the_register_is_refused_by_row(tmp_path):
    table = load_settings_file(write(tmp_path, HEADER + "1,special_academy,8,no,ASD\n999,special_academy,8,no,\n"))
    with pytest.raises(PlacewiseError, match=r"settings file: row\(s\) 3 name providers not in the register"):
        apply_settings(providers_with_an_independent_mainstream_school(), table)


def test_a_designations_file_names_an_independent_mainstream_school_with_its_pupils_with_plans(tmp_path):
    table = load_designations_file(write(tmp_path, "provider_id,needs\n2,ASD\n", "designations.csv"))
    named = apply_designations(providers_with_an_independent_mainstream_school(), table).loc[2]
    assert bool(named["provision_named"]) is True and named["places"] == 14
    assert named["places_note"].startswith("estimated: pupils with EHC plans on roll")
    assert int(np.ceil(14 * 0.05)) == named["vacancies"]
