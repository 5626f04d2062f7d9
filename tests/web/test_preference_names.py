"""Parents' preferences typed by name or URN on the child's form: names become URNs; a name that matches no setting
is refused on the field by its position, never echoed; a name that matches several offers them to choose from, by
field and in the error summary, and the choice goes back in at its place; nothing is stored until all resolve. The
suggestions the field's script asks for."""

import re

from tests.helpers.pages import commissioners_app, signed_in

CHILD = {"child_id": "P-1", "home_council": "E06900001", "easting": "420000", "northing": "570000", "age": "9",
         "primary_need": "ASD"}


def _field(html: str, name: str) -> str:
    return re.search(rf'name="{name}" [^>]*value="([^"]*)"', html).group(1)


def test_preferences_by_name_or_urn(tmp_path):
    app = commissioners_app(tmp_path)
    client, token = signed_in(app, "cw-a")
    for typed, words in (("Northvale special academy 2, nowhere school zz", "Preference 2 names no setting"),
                         ("Northvale special", "Preference 1 could be Northvale special")):
        refused = client.post("/children/new", data={**CHILD, "preferences": typed, "csrf_token": token})
        assert refused.status_code == 422 and words in refused.text and "nowhere school zz" not in refused.text
    assert client.get("/children/P-1").status_code == 404  # nothing stored
    made = client.post("/children/new", data={**CHILD, "preferences": "northvale special academy 2, 900009",
                                              "csrf_token": token})
    assert made.status_code == 200
    profile = client.get("/children/P-1").text
    assert "Northvale special academy 2" in profile and "Northvale independent special 9" in profile


def test_a_name_of_several_settings_is_chosen_from_its_candidates(tmp_path):
    app = commissioners_app(tmp_path)
    client, token = signed_in(app, "cw-a")
    sent = {**CHILD, "preferences": "Eastmoor sen unit 17, northvale special, 900009", "csrf_token": token}
    refused = client.post("/children/new", data=sent)
    assert refused.status_code == 422
    summary = refused.text.split('govuk-error-summary__list"')[1].split("</ul>")[0]
    assert 'href="#choice-2"' in summary and "Northvale special academy 2 (URN 900002)" in summary
    assert "Northvale special academy 2, Northvale (demo) (URN 900002)" in refused.text  # the radios say where
    assert 'id="choice-2-1"' in refused.text and 'name="choice-2" type="radio" value="900001"' in refused.text
    shown = _field(refused.text, "preferences")
    assert shown == "Eastmoor sen unit 17 (900017), Northvale independent special 9 (900009)"  # resolved, not typed
    again = {**CHILD, "preferences": shown, "candidates-2": _field(refused.text, "candidates-2"), "csrf_token": token}
    assert 'href="#choice-2"' in client.post("/children/new", data=again).text  # no choice yet: asked again
    assert client.get("/children/P-1").status_code == 404
    made = client.post("/children/new", data={**again, "choice-2": "900002"}, follow_redirects=False)
    assert made.status_code == 303
    edit = client.get("/children/P-1/edit").text
    assert _field(edit, "preferences") == ("Eastmoor sen unit 17 (900017), Northvale special academy 2 (900002), "
                                           "Northvale independent special 9 (900009)")
    assert client.post("/children/P-1/edit", data={**CHILD, "preferences": _field(edit, "preferences"),
                                                    "csrf_token": token}, follow_redirects=False).status_code == 303


def test_a_choice_outside_the_candidates_is_not_taken(tmp_path):
    app = commissioners_app(tmp_path)
    client, token = signed_in(app, "cw-a")
    sent = {**CHILD, "preferences": "", "candidates-1": "900001 900002", "choice-1": "900027", "csrf_token": token}
    refused = client.post("/children/new", data=sent)
    assert refused.status_code == 422 and 'href="#choice-1"' in refused.text and "900027" not in refused.text


def test_the_suggestions_for_the_field(tmp_path):
    app = commissioners_app(tmp_path)
    client, _ = signed_in(app, "cw-a")
    found = client.get("/find-a-setting/suggestions", params={"q": "eastmoor sen"})
    assert found.status_code == 200 and found.json() == [{"urn": 900017, "name": "Eastmoor sen unit 17",
                                                          "place": found.json()[0]["place"]}]
    assert found.json()[0]["place"]  # a town, or the host council on the demo
    assert client.get("/find-a-setting/suggestions", params={"q": "e"}).json() == []
    assert len(client.get("/find-a-setting/suggestions", params={"q": "special"}).json()) == 8
