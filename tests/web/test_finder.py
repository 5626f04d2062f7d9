"""Finding a setting by name, town, postcode or URN (a form that works without script; htmx swaps the same results
in as one types), and a setting's page with what the register and the performance tables say of it."""

import pandas as pd
import pytest

from api.web.setting_search import search_settings
from tests.helpers.pages import commissioners_app, signed_in

PROVIDERS = pd.DataFrame({"name": ["Ashbrooke School", "Northvale Academy", "Ash Grove Primary", "Town End School"],
                          "kind": "special_maintained"}, index=pd.Index([143532, 900002, 100010, 100011],
                                                                        name="provider_id"))
ADDRESSES = pd.DataFrame({"town": ["Sunderland", "Northvale", "Newcastle upon Tyne", "Newcastle upon Tyne"],
                          "postcode": ["SR2 7HZ", "NV1 1AA", "NE1 4XX", "NE10 0AB"]}, index=PROVIDERS.index)


@pytest.mark.parametrize(("query", "expected"), [
    ("ashbrooke", [143532]), ("ASH", [100010, 143532]), ("school ashbrooke", [143532]), ("143532", [143532]),
    ("newcastle upon tyne", [100010, 100011]), ("NE1", [100010]), ("ne10 0ab", [100011]), ("NE1 4", [100010]),
    ("nowhere at all", []), ("   ", [])])
def test_search_by_name_town_postcode_or_urn(query, expected):
    assert list(search_settings(PROVIDERS, ADDRESSES, query).index) == expected


def test_the_finder_works_without_script_and_the_setting_page_says_what_is_known(tmp_path):
    app = commissioners_app(tmp_path)
    client, _ = signed_in(app, "cw-a")
    found = client.get("/find-a-setting?q=Northvale special academy")
    assert found.status_code == 200 and 'action="/find-a-setting"' in found.text
    assert 'href="/find-a-setting/900002"' in found.text and "setting" in found.text
    swapped = client.get("/find-a-setting?q=Northvale special academy", headers={"HX-Request": "true"})
    assert swapped.text.lstrip().startswith('<div id="finder-results"') and "900002" in swapped.text
    assert "No setting matches" in client.get("/find-a-setting?q=zzzz").text
    assert client.get("/find-a-setting?q=" + "x" * 101).status_code == 422
    setting = client.get("/find-a-setting/900002").text
    for words in ("Northvale special academy 2", "Ages", "4 to 16", "Designated for", "Autism",
                  "reports.ofsted.gov.uk/search?q=900002", "find-school-performance-data.service.gov.uk/school/900002",
                  "get-information-schools.service.gov.uk/Establishments/Establishment/Details/900002"):
        assert words in setting, words
    assert client.get("/find-a-setting/123").status_code == 404
    assert client.get("/find-a-setting/abc").status_code == 404
