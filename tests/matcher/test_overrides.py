"""A user's own places and designations override the register, and a bad file is one clear error, nothing loaded."""

import pytest

from core.errors import PlacewiseError
from geodata.user_files import load_designations_file, load_places_file
from matcher.overrides import apply_designations, apply_places
from tests.helpers.factories import make_providers


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_places_file_sets_places_and_the_vacancies_left(tmp_path):
    providers = make_providers({"places": 50, "places_source": "estimated"}, {}).assign(on_roll=[40, 90])
    updated = apply_places(providers, load_places_file(write(tmp_path, "places.csv", "provider_id,places\n1,45\n")))
    assert updated.loc[1, ["places", "places_source", "vacancies", "vacancies_source"]].tolist() == [
        45, "reported", 5, "reported"]
    assert updated.loc[2, "places"] == providers.loc[2, "places"]  # others untouched
    assert providers.loc[1, "places"] == 50  # the input is never changed


def test_a_designations_file_replaces_a_setting_s_needs(tmp_path):
    providers = make_providers({"designated_needs": ()}, {})
    path = write(tmp_path, "designations.csv", "provider_id,needs\n1,slcn; ASD\n")
    updated = apply_designations(providers, load_designations_file(path))
    assert updated.loc[1, "designated_needs"] == ("ASD", "SLCN") and updated.loc[1, "designations_source"] == "reported"
    assert updated.loc[2, "designated_needs"] == ("ASD",) and updated.loc[2, "designations_source"] == "published"


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("places.csv", "provider_id,places\n1,-3\n2,4\n", "row(s) 2: places must be a whole number, 0 or more"),
    ("places.csv", "provider_id,places\n1,3\n1,4\n", "row(s) 2, 3: the same provider appears twice"),
    ("places.csv", "provider,places\n1,3\n", "missing column(s) provider_id"),
    ("designations.csv", "provider_id,needs\n1,ASD;AUTISM\n", "row(s) 2: needs must be SEN2 codes"),
])
def test_bad_files_name_their_rows(tmp_path, name, text, expected):
    reader = load_places_file if name == "places.csv" else load_designations_file
    with pytest.raises(PlacewiseError) as error:
        reader(write(tmp_path, name, text))
    assert expected in str(error.value)


def test_a_file_naming_unknown_providers_is_refused(tmp_path):
    providers = make_providers({})
    with pytest.raises(PlacewiseError, match=r"designations file: row\(s\) 2 name providers not in the register"):
        apply_designations(providers, load_designations_file(write(tmp_path, "d.csv", "provider_id,needs\n99,ASD\n")))
    with pytest.raises(PlacewiseError, match=r"places file: row\(s\) 3 name providers not in the register"):
        apply_places(providers, load_places_file(write(tmp_path, "p.csv", "provider_id,places\n1,4\n77,5\n")))
