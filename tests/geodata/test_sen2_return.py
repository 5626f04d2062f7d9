"""The SEN2 return reader: both years' layouts read back what was written; XML attacks, malformed files, other
collections, unknown years and files over the size limit are refused with a clear error."""

import datetime as dt

import pytest

from core.errors import PlacewiseError
from geodata.sen2_return import Header, read_return, read_return_file
from geodata.sen2_return_writer import write_return
from tests.helpers.sen2 import HEADER, person, placement

LIMIT = 10_000_000
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Message><Header><CollectionDetails><Collection>&lol3;</Collection></CollectionDetails></Header></Message>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE m [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Message><Header><CollectionDetails><Collection>&secret;</Collection></CollectionDetails></Header></Message>"""
PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE m [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]><Message/>"""


def minimal(year: str = "2024", collection: str = "SEN2", lea: str = "901") -> bytes:
    return (f"<Message><Header><CollectionDetails><Collection>{collection}</Collection><Year>{year}</Year>"
            f"<ReferenceDate>2024-01-18</ReferenceDate></CollectionDetails><Source><LEA>{lea}</LEA></Source>"
            "</Header><Persons/></Message>").encode()


@pytest.mark.parametrize("year", [2023, 2024])
def test_each_years_layout_reads_back_what_was_written(tmp_path, year):
    residential = person(2, sex="M", active_plans=(person().active_plans[0].__class__(
        (placement(residential="B"),), (("SLD", "1"),)),))
    path = write_return(tmp_path / "r.xml", Header("SEN2", year, dt.date(year, 1, 18), 901),
                        [person(1), residential], dt.datetime(year, 1, 18))
    text = path.read_text()
    assert ("<GenderCurrent>" in text) == (year == 2023) and ("<Sex>" in text) == (year == 2024)
    found = read_return_file(path, LIMIT)
    assert (found.header.year, found.header.lea, found.header.reference_date) == (year, 901, dt.date(year, 1, 18))
    first, second = found.persons
    assert (first.position, first.upn, first.birth_date, first.postcode) == (1, "K901123456781", "2014-03-02",
                                                                             "ZZ1 0AA")
    assert first.active_plans[0].needs == (("ASD", "1"), ("SLCN", "2"))
    assert first.active_plans[0].placements[0].urn == "900002"
    assert second.active_plans[0].placements[0].residential == "B"  # on the plan (2023) or the placement (2024)
    assert second.sex == ("1" if year == 2023 else "M")


def test_element_names_are_read_whatever_their_case_or_namespace():
    text = minimal().decode().replace("<Message>", '<s:message xmlns:s="urn:x">').replace(
        "</Message>", "</s:message>").replace("Year>", "YEAR>")
    assert read_return(text.encode(), "r", LIMIT).header.year == 2024


@pytest.mark.parametrize("attack", [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY])
def test_xml_bombs_and_external_entities_are_refused_before_anything_is_read(attack):
    with pytest.raises(PlacewiseError, match="refused: the file declares a document type or entities") as error:
        read_return(attack, "return.xml", LIMIT)
    assert error.value.field == "return"
    assert "passwd" not in str(error.value) and "lol" not in str(error.value)


def test_a_malformed_file_names_the_line_and_column():
    with pytest.raises(PlacewiseError, match=r"not well-formed XML \(line 1, column \d+\)"):
        read_return(b"<Message><Header></Message>", "return.xml", LIMIT)


def test_another_collection_and_an_unknown_year_are_refused():
    with pytest.raises(PlacewiseError, match="not a SEN2 person-level return"):
        read_return(minimal(collection="CIN"), "r", LIMIT)
    for year in ("2022", "2025", "twenty"):
        with pytest.raises(PlacewiseError, match="Year: a return of a year whose specification the reader does not "
                                                 "know; it reads 2023 and 2024") as error:
            read_return(minimal(year=year), "r", LIMIT)
        assert error.value.field == "Year"
    with pytest.raises(PlacewiseError, match="LEA: missing or not the council's 3-digit DfE code"):
        read_return(minimal(lea="E06000001"), "r", LIMIT)


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path):
    path = write_return(tmp_path / "r.xml", HEADER, [person()], dt.datetime(2024, 1, 18))
    size = path.stat().st_size
    with pytest.raises(PlacewiseError, match="over the size limit of 0 MB; split the return or raise the "
                                             "max_return_mb setting"):
        read_return_file(path, size - 1)
    assert len(read_return_file(path, size).persons) == 1
    with pytest.raises(PlacewiseError, match="over the size limit"):
        read_return(path.read_bytes(), "upload", size - 1)


def test_personal_items_never_print():
    shown = repr(person())
    assert "Zebedee" not in shown and "K9011234" not in shown and "2014-03-02" not in shown and "ZZ1" not in shown
