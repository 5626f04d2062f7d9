"""The register from a user's full GIAS extract (a small file in its header format), and bad input."""

import json

import pandas as pd
import pytest

from core.errors import PlacewiseError
from geodata.register import load_register
from geodata.tables import read_csv_checked
from geodata.user_files import load_vacancy_file
from matcher.overrides import apply_vacancies

EXTRACT_HEADER = [
    "URN", "LA (code)", "LA (name)", "EstablishmentName", "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (name)", "EstablishmentStatus (name)", "StatutoryLowAge", "StatutoryHighAge",
    "Boarders (name)", "Gender (name)", "SchoolCapacity", "NumberOfPupils", "SEN1 (name)", "SEN2 (name)",
    "TypeOfResourcedProvision (name)", "ResourcedProvisionOnRoll", "ResourcedProvisionCapacity", "SenUnitOnRoll",
    "SenUnitCapacity", "Easting", "Northing", "OfstedRating (name)", "GSSLACode (name)",
]
EXTRACT_ROWS = [
    # A maintained special school with published capacity and boarding, designated for two needs.
    ["100001", "929", "Northumberland", "Hexham Brook School", "Community special school", "Special schools",
     "Open", "2", "19", "Boarding school", "Mixed", "120", "110", "PMLD - Profound and Multiple Learning Difficulty",
     "SLD - Severe Learning Difficulty", "", "", "", "", "", "393000", "564000", "Good", "E06000057"],
    # A mainstream school with an SEN unit of 10 places, 9 on roll, designated for autism; the name has a £.
    ["100002", "929", "Northumberland", "St Æthelred's Church of England First School £", "Voluntary aided school",
     "Local authority maintained schools", "Open", "4", "9", "No boarders", "Girls", "300", "280",
     "ASD - Autistic Spectrum Disorder", "", "SEN unit", "", "", "9", "10", "395000", "566000", "", "E06000057"],
    # A mainstream school with no SEN provision: not in the register.
    ["100003", "929", "Northumberland", "Plain Primary", "Community school", "Local authority maintained schools",
     "Open", "4", "11", "No boarders", "Mixed", "200", "190", "", "", "", "", "", "", "", "396000", "567000",
     "Good", "E06000057"],
    # A special school with no age range: dropped, and counted.
    ["100004", "929", "Northumberland", "No Ages School", "Foundation special school", "Special schools", "Open",
     "", "", "", "Mixed", "", "", "SEMH - Social, Emotional and Mental Health", "", "", "", "", "", "", "397000",
     "568000", "", "E06000057"],
    # A Welsh establishment: dropped, and counted.
    ["100005", "", "", "Ysgol Arbennig", "Welsh establishment", "Welsh schools", "Open", "3", "19", "", "Mixed", "",
     "", "ASD - Autistic Spectrum Disorder", "", "", "", "", "", "", "300000", "250000", "", ""],
]


@pytest.fixture
def tiny_data_dir(tmp_path):
    """A data folder laid out like ../shared/data with one council: its codes and a square boundary."""
    (tmp_path / "finance").mkdir()
    (tmp_path / "lookups").mkdir()
    (tmp_path / "boundaries").mkdir()
    pd.DataFrame({"old_la_code": [929], "new_la_code": ["E06000057"], "la_name": ["Northumberland"],
                  "category_of_expenditure": ["1.2.1 Top-up funding – maintained schools"]}).to_csv(
        tmp_path / "finance/s251_outturn_202324_high_needs_and_sen_transport_by_la.csv", index=False)
    pd.DataFrame({"dfe_new_la_code": ["E10000023"], "ons_ctyua23cd": ["E06000065"]}).to_csv(
        tmp_path / "lookups/dfe_la_code_to_ons_ctyua23.csv", index=False)
    square = [[-2.6, 54.8], [-1.5, 54.8], [-1.5, 55.8], [-2.6, 55.8], [-2.6, 54.8]]
    geojson = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {
        "CTYUA23CD": "E06000057", "CTYUA23NM": "Northumberland"}, "geometry": {"type": "Polygon",
                                                                              "coordinates": [square]}}]}
    (tmp_path / "boundaries/ctyua_2023_bsc.geojson").write_text(json.dumps(geojson))
    return tmp_path


@pytest.fixture
def extract_file(tmp_path):
    path = tmp_path / "edubasealldata20250101.csv"
    pd.DataFrame(EXTRACT_ROWS, columns=EXTRACT_HEADER).to_csv(path, index=False, encoding="cp1252")
    return path


def test_a_full_extract_gives_providers_with_capacity_and_boarding(tiny_data_dir, extract_file):
    register = load_register(tiny_data_dir, extract_file)
    providers = register.providers
    assert providers.index.tolist() == [100001, 100002]
    special, unit = providers.loc[100001], providers.loc[100002]
    assert special["kind"] == "special_maintained" and special["designated_needs"] == ("PMLD", "SLD")
    assert (special["places"], special["places_source"], special["vacancies"]) == (120, "published", 10)
    assert bool(special["residential"]) is True and special["ofsted"] == 2 and special["host_council"] == "E06000057"
    assert unit["kind"] == "sen_unit" and unit["name"].endswith("School £") and unit["gender"] == "girls"
    assert (unit["places"], unit["vacancies"], unit["vacancies_source"]) == (10, 1, "published")
    assert bool(unit["residential"]) is False and pd.isna(unit["ofsted"])
    assert register.dropped.to_dict() == {"not a school in England": 1, "age range unknown": 1}


def test_missing_columns_are_named(tmp_path, tiny_data_dir):
    path = tmp_path / "edubasealldata.csv"
    pd.DataFrame({"URN": [1], "EstablishmentName": ["X"]}).to_csv(path, index=False)
    with pytest.raises(PlacewiseError, match=r"missing column\(s\) TypeOfEstablishment \(name\), Establishment"):
        load_register(tiny_data_dir, path)


def test_a_file_in_the_wrong_encoding_is_named(tmp_path):
    path = tmp_path / "published.csv"
    path.write_bytes("URN,EstablishmentName\n1,St Mary's £\n".encode("cp1252"))
    with pytest.raises(PlacewiseError, match=r"not readable as utf-8-sig \(byte \d+\)"):
        read_csv_checked(path, ["URN"])


def test_vacancy_file_overrides_and_unknown_providers_are_named(tmp_path, tiny_data_dir, extract_file):
    providers = load_register(tiny_data_dir, extract_file).providers
    path = tmp_path / "vacancies.csv"
    path.write_text("provider_id,need,vacancies\n100001,PMLD,2\n100001,SLD,0\n100002,ALL,3\n")
    updated = apply_vacancies(providers, load_vacancy_file(path))
    assert updated.loc[100001, "vacancies"] == 2 and updated.loc[100001, "need_vacancies"] == {"PMLD": 2, "SLD": 0}
    assert updated.loc[100002, "vacancies"] == 3 and updated.loc[100002, "vacancies_source"] == "reported"
    assert providers.loc[100002, "vacancies"] == 1  # the input is not changed
    path.write_text("provider_id,need,vacancies\n100001,PMLD,2\n555,ASD,1\n")
    with pytest.raises(PlacewiseError, match=r"row\(s\) 3 name providers not in the register"):
        apply_vacancies(providers, load_vacancy_file(path))


def test_bad_vacancy_rows_are_named(tmp_path):
    path = tmp_path / "vacancies.csv"
    path.write_text("provider_id,need,vacancies\n1,ASD,2\nx,ASD,1\n2,FOO,1\n3,ASD,-1\n")
    with pytest.raises(PlacewiseError) as raised:
        load_vacancy_file(path)
    message = str(raised.value)
    assert "row(s) 3: provider_id" in message and "row(s) 4: need" in message and "row(s) 5: vacancies" in message


def test_an_independent_mainstream_school_with_an_sen_list_is_support_not_places(tmp_path, tiny_data_dir):
    header = [*EXTRACT_HEADER, "OfficialSixthForm (name)"]
    rows = [[*EXTRACT_ROWS[0], "Does not have a sixth form"],
            ["100006", "929", "Northumberland", "Old School College", "Other independent school",
             "Independent schools", "Open", "13", "18", "Boarding school", "Boys", "1300", "1340",
             "SpLD - Specific Learning Difficulty", "", "", "", "", "", "", "394000", "565000", "", "E06000057",
             "Has a sixth form"]]
    path = tmp_path / "edubasealldata20250102.csv"
    pd.DataFrame(rows, columns=header).to_csv(path, index=False, encoding="cp1252")
    providers = load_register(tiny_data_dir, path).providers
    school, special = providers.loc[100006], providers.loc[100001]
    assert school["kind"] == "mainstream" and school["places"] == 0 and not bool(school["provision_named"])
    assert school["places_note"].startswith("none: an independent mainstream school's published SEN-provision list")
    assert bool(special["provision_named"]) and bool(school["post16"]) and not bool(special["post16"])
