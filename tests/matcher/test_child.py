"""Bad child records give one clear error naming the fields, without echoing the child's values."""

import pytest

from core.errors import PlacewiseError
from matcher.child import parse_child

GOOD = {"child_id": "C-17", "home_council": "E08000021", "easting": 424_700, "northing": 564_800, "age": 10,
        "primary_need": "asd"}


def test_a_good_record_is_accepted_and_need_codes_normalised():
    child = parse_child({**GOOD, "secondary_needs": ["slcn", "SpLD"], "ncy": 5})
    assert child.primary_need == "ASD" and child.secondary_needs == ("SLCN", "SPLD")
    assert child.phase == "primary"


@pytest.mark.parametrize(("change", "field"), [
    ({"primary_need": "AUTISM-XYZ"}, "primary_need: unknown need code"),
    ({"secondary_needs": ["NOPE"]}, "secondary_needs: unknown need code"),
    ({"age": 31}, "age: Input should be less than or equal to 25"),
    ({"age": -1}, "age: Input should be greater than or equal to 0"),
    ({"home_council": "Newcastle"}, "home_council: String should match pattern"),
    ({"name": "A Child"}, "name: unknown field"),
    ({"easting": None, "northing": None}, "give easting and northing (EPSG:27700), home_lsoa or home_postcode"),
    ({"easting": float("nan")}, "easting: Input should be a finite number"),
])
def test_bad_fields_are_named(change, field):
    with pytest.raises(PlacewiseError) as raised:
        parse_child({**GOOD, **change})
    assert field in str(raised.value)


def test_values_are_never_echoed():
    with pytest.raises(PlacewiseError) as raised:
        parse_child({**GOOD, "primary_need": "SECRET-DIAGNOSIS", "name": "Jane Doe"})
    assert "SECRET" not in str(raised.value) and "Jane" not in str(raised.value)


def test_not_an_object():
    with pytest.raises(PlacewiseError, match="expected a JSON object"):
        parse_child([GOOD])
