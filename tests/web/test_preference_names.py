"""Parents' preferences typed by name or URN on the child's form: names become URNs; a name that matches no setting
or several is refused on the field by its position, never echoed, with nothing stored."""

from tests.helpers.pages import commissioners_app, signed_in

CHILD = {"child_id": "P-1", "home_council": "E06900001", "easting": "420000", "northing": "570000", "age": "9",
         "primary_need": "ASD"}


def test_preferences_by_name_or_urn(tmp_path):
    app = commissioners_app(tmp_path)
    client, token = signed_in(app, "cw-a")
    for typed, words in (("Northvale special academy 2, nowhere school zz", "Preference 2 names no setting"),
                         ("Northvale special", "Preference 1 matches more than one setting")):
        refused = client.post("/children/new", data={**CHILD, "preferences": typed, "csrf_token": token})
        assert refused.status_code == 422 and words in refused.text and "nowhere school zz" not in refused.text
    assert client.get("/children/P-1").status_code == 404  # nothing stored
    made = client.post("/children/new", data={**CHILD, "preferences": "northvale special academy 2, 900009",
                                              "csrf_token": token})
    assert made.status_code == 200
    profile = client.get("/children/P-1").text
    assert "Northvale special academy 2" in profile and "Northvale independent special 9" in profile
