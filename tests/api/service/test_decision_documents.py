"""The family's letters and the tribunal bundle of a two-version case (decided, then reconsidered after mediation),
read as their readers would: each letter at most two pages before its annex, at Flesch-Kincaid grade 6 or under
(names left out; printed), with the time limits, mediation, SENDIASS and council contacts, the officer by name and
dates as people write them; the bundle indexed with page numbers that point at its sections."""

import io
import re

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from api.app import create_app
from api.platform.security.keys import create_key
from api.settings import Settings
from scenarios.reports.decision_documents import html_to_pdf, letter_body, names_in
from scenarios.reports.readability import plain_text, reading_grade, without_names, word_count
from tests.helpers.decisions import decided_case
from tests.helpers.store import A, auth

MAX_GRADE = 6.0


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    folder = tmp_path_factory.mktemp("documents")
    client = TestClient(create_app(Settings(database_url=f"sqlite:///{folder / 'store.db'}")))
    engine = client.app.state.engine
    decision = decided_case(client, engine, versions=2)
    reader = auth(create_key(engine, "reader A", "caseworker", [A]))
    versions = client.get(f"/v1/decisions/{decision}", headers=reader).json()["versions"]
    letters = [client.get(f"/v1/decisions/{decision}/letter", params={"version": number}, headers=reader).text
               for number in (1, 2)]
    return client, reader, decision, versions, letters


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("number", [1, 2])
def test_each_letter_is_short_plain_and_complete(case, number):
    _, _, _, versions, letters = case
    record, html = versions[number - 1]["record"], letters[number - 1]
    body = without_names(plain_text(letter_body(html)), names_in(record))
    grade = reading_grade(body)
    print(f"\nletter of version {number}: Flesch-Kincaid grade {grade:.1f} (names left out; target <= {MAX_GRADE}), "
          f"{word_count(body)} words")
    assert grade <= MAX_GRADE
    pages = pages_text(html_to_pdf(html))
    annex = next(at for at, text in enumerate(pages) if "Annex: the schools we looked at" in text)
    assert annex <= 2  # the letter itself is at most two pages; the list offered is its annex
    text = plain_text(html)
    contacts = record["council_contacts"]
    for words in ("within 2 months of the date of this letter", "1 month from the date on it, if that is later",
                  "If your appeal is only about the school named in the plan, you do not need to talk to a mediation "
                  "adviser first", "It looks at the whole question again, and it can tell us to name a different "
                  "school", contacts["sendiass"]["name"], contacts["sendiass"]["phone"],
                  contacts["mediation_adviser"]["phone"], contacts["send_team"]["phone"], contacts["name"],
                  "Jane Okafor", "SEND Placements Manager", record["reasons"]):
        assert words in text, words
    named = record["named_setting"]["name"]
    annex_rows = re.findall(r"<tr><td>(.*?)</td>", html.split('class="annex', 1)[1])
    assert any(row.startswith(named) and "(named)" in row for row in annex_rows)  # the named setting is in it
    for never in ("SHA-256", "ILLUSTRATIVE", "Council E0", "dm-", "reasonable", "send it back", "1 places"):
        assert never not in text, never
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text)  # dates as people write them


def test_the_bundle_is_indexed_with_page_numbers_that_point_at_its_sections(case):
    client, reader, decision, versions, _ = case
    pdf = client.get(f"/v1/decisions/{decision}/bundle", headers=reader).content
    pages = pages_text(pdf)
    entry = r"^([A-D]\. [^.\n]+?|Appendix: [^.\n]+?)\s*\.{3,}\s*(\d+)\s*$"
    index = {title: int(page) for title, page in re.findall(entry, pages[0], flags=re.M)}
    print(f"\nbundle: {len(pages)} pages; index {index}")
    assert len(index) == 6
    for title, page in index.items():
        assert title.split(":")[0].split(" and")[0][:20] in pages[page - 1].replace("\n", " "), (title, page)
    assert all(f"page {number} of {len(pages)}" in text for number, text in enumerate(pages, start=1))
    whole = " ".join(pages)
    assert whole.count("Dear parent or carer") == 2 and "Consultation about naming your setting" in whole
    assert "Northvale Mediation Service" in whole and "Jane Okafor" in whole
    assert "/work" not in whole and "900009" not in whole.replace("URN 900009", "")  # names, not codes
