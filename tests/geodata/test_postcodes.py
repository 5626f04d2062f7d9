"""Postcodes through the user's own ONSPD/NSPL file (a small file written in its published header format)."""

import pytest

from core.errors import PlacewiseError
from geodata.postcodes import load_postcode_directory
from tests.helpers.samples import HEADER, ROWS


@pytest.fixture
def directory(tmp_path):
    path = tmp_path / "ONSPD_NOV_2025_UK.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n")
    return load_postcode_directory(path)


def test_a_live_english_postcode_gives_its_lsoa_however_it_is_written(directory):
    assert directory.lsoa_of("NE1 4LP") == "E01008395"
    assert directory.lsoa_of("ne14lp") == directory.lsoa_of(" NE1  4LP ") == "E01008395"


@pytest.mark.parametrize(("postcode", "expected"), [
    ("NE1 9ZZ", "terminated"), ("CF10 1AA", "outside England"), ("NE1 4LQ", "not in the postcode directory"),
    ("QQ99 9QQQ", "not a postcode"),
])
def test_unusable_postcodes_are_clear_errors_that_never_echo_them(directory, postcode, expected):
    with pytest.raises(PlacewiseError, match=expected) as error:
        directory.lsoa_of(postcode)
    assert postcode.upper() not in str(error.value).upper() and "home_postcode" in str(error.value)


def test_a_file_without_the_expected_columns_names_them(tmp_path):
    path = tmp_path / "postcodes.csv"
    path.write_text("postcode,lsoa\nNE1 4LP,E01008395\n")
    with pytest.raises(PlacewiseError, match=r"missing column\(s\) pcds \(or pcd\), lsoa21 \(or lsoa11\), doterm"):
        load_postcode_directory(path)


def test_an_nspl_with_2011_areas_and_no_country_column_also_reads(tmp_path):
    path = tmp_path / "NSPL.csv"
    path.write_text("pcd,pcds,dointr,doterm,oseast1m,osnrth1m,lsoa11\nNE1 4LP,NE1 4LP,198001,,424880,564530,"
                    "E01008395\nCF10 1AA,CF10 1AA,198001,,318000,176000,W01001700\n")
    directory = load_postcode_directory(path)
    assert directory.lsoa_of("NE14LP") == "E01008395"
    with pytest.raises(PlacewiseError, match="outside England"):
        directory.lsoa_of("CF10 1AA")
