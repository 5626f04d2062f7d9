"""The family page says where each figure of free places comes from, never that a place was free when it is an
estimate, and names the council and its contacts."""

import pytest

from api.web.family_words import UNKNOWN, where_places_come_from
from tests.helpers.pages import commissioners_app, signed_in

CHILD = {"child_id": "A-1", "home_council": "E06900001", "easting": "420000", "northing": "570000", "age": "9",
         "primary_need": "ASD"}


@pytest.mark.parametrize(("sentence", "words"), [
    ("3 places free (reported)", "The setting told the council it had 3 places free"),
    ("1 places free (reported)", "it had 1 place free"),
    ("12 places free (published capacity less pupils on roll)", "worked out from the size the school publishes"),
    ("places not published; about 4 free, estimated from pupils on roll", "this is only an estimate"),
    ("vacancies unknown; ask the setting", UNKNOWN)])
def test_each_figure_says_where_it_comes_from(sentence, words):
    assert words in where_places_come_from(sentence)


def test_the_family_page_names_the_council_its_contacts_and_the_sources(tmp_path):
    app = commissioners_app(tmp_path)
    client, token = signed_in(app, "cw-a")
    assert client.post("/children/new", data={**CHILD, "csrf_token": token}).status_code == 200
    page = client.get("/children/A-1/shortlist/family?purpose=placement_search&k=5").text
    assert "had a place free when we looked" not in page
    assert "Northvale Council made this list" in page and "Northvale SENDIASS" in page and "0113 496 0200" in page
    told = sum(phrase in page for phrase in ("told the council", "worked out from the size", "only an estimate",
                                             "We do not know whether"))
    assert told >= 1 and page.count("your caseworker will") >= 5
