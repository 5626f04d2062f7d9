"""The note filter on a corpus of 60 notes: the 22 personal-detail probes of issue 23 (names, NHS numbers, e-mail
addresses, phone numbers, addresses and spelled dates of birth), 6 more (postcodes, area codes, the child's id), and
32 notes an officer would really write about a setting's reply, which must pass. The filter must let through 0 of
the 28 personal notes; the clean notes it refuses are counted and printed (at most 1 of 32 is allowed)."""

from datetime import date

import pytest

from core.errors import PlacewiseError
from scenarios.note_filter import check_note, personal_details

TODAY = date(2026, 12, 7)
ALLOWED = ("Northvale Special Academy", "Hollybank School", "Grace Darling Academy", "Rose Hill Primary School",
           "Northvale Council", "Jane Okafor")
KNOWN = {"names": ("A-17",), "allowed": ALLOWED, "child_age": 9, "today": TODAY}

#: The 22 probes of the issue: what kind each holds.
PROBES = [
    ("name", "Spoke to Olivia about the move and she is keen."),
    ("name", "Mrs Patel said the class would suit her son."),
    ("name", "The head said Jayden Smith would settle well there."),
    ("name", "Dr. Hughes from the clinic agreed with the setting's view."),
    ("NHS number", "Health record 943 476 5919 shows the therapy is in place."),
    ("NHS number", "NHS no. 4010232137 on the health plan."),
    ("NHS number", "The nurse's letter quotes 987-654-3210 for the child."),
    ("e-mail", "Reply came from mum at sarah.jones@example.co.uk today."),
    ("e-mail", "Please copy the family on j.brown@gmail.com when the setting writes."),
    ("e-mail", "Contact dad via tom (at) hotmail (dot) com about transport."),
    ("phone", "Mum can be reached on 07700 900123 after school."),
    ("phone", "The family's number is 0191 496 0018 for the transport team."),
    ("phone", "Call +44 20 7946 0958 to arrange the visit with the father."),
    ("phone", "Home phone (01632) 960 001, evenings only."),
    ("address", "The family live at 14 Acacia Avenue, so the journey is short."),
    ("address", "Home is 3 Church Lane, Hexham, near the bus route."),
    ("address", "Flat 2, 45 Station Road is where the child lives now."),
    ("address", "They moved to 221b Baker Street last month."),
    ("date of birth", "Born on the fifth of March 2016, so in year 5."),
    ("date of birth", "DOB 5th March 2016 per the plan."),
    ("date of birth", "The child was born 12/03/2016 and is in year 5."),
    ("date of birth", "Birthday is the twenty-first of June 2017, the setting noted."),
]
MORE_PERSONAL = [
    "The home postcode NE1 4XF is within the cap.",
    "Lives in E01008395, close to the setting.",
    "Child A-17 visited the class and liked it.",
    "Spoke about the child on 12/03/2016 with the setting.",
    "The setting met the family: Mr Khan asked about lunch.",
    "Her date of birth puts her in year 5 (14 July 2017).",
]
CLEAN = [
    "The setting replied that it can meet the needs set out in the plan.",
    "Northvale Special Academy says it has a place from September with an autism base.",
    "Hollybank School cannot take a child of this age: it is an infant school.",
    "Read the reply against the plan's packages and the offer; it covers every part.",
    "The setting did not reply by the deadline, despite a reminder on the third day.",
    "The reply says the class is full; the head teacher offered a place next term.",
    "Grace Darling Academy can meet the needs, with speech and language therapy on site.",
    "The SENCO confirmed the setting can deliver the communication and interaction package.",
    "The reply was received on 3 December 2026 and considered the same day.",
    "Rose Hill Primary School says it would need extra staff to meet the needs.",
    "Jane Okafor considered the reply with the SEND team.",
    "The setting says the placement would not be compatible with the efficient education of others.",
    "Cost per year is about £42,000 with transport, against £31,000 at the named setting.",
    "The setting asked for the latest annual review before it answers; sent on 1 December.",
    "It can meet the needs but only for four days a week; noted for the decision.",
    "The reply is clear and complete; no further questions for the setting.",
    "The setting's reply came late, on 2 December 2026, and has been considered.",
    "Will the setting provide transport? It says no; the council would arrange it.",
    "May be able to take the child from January; the setting will confirm.",
    "The setting offers a place in its resourced provision for autism.",
    "The head says Ofsted's last visit raised no concern about SEN provision.",
    "Placement would need a taxi: about 40 minutes each way.",
    "The setting can meet needs in a class of 8 with 2 teaching assistants.",
    "Reply by e-mail from the school office; the letter itself is on file.",
    "The setting's governors considered the request at their meeting in November.",
    "Northvale Council's SEND team checked the reply with the setting's SENCO.",
    "The setting said yes, with a phased start over three weeks.",
    "It cannot meet the needs: no speech and language therapist on staff.",
    "Class sizes of 12; the setting says this suits the package.",
    "Hollybank School replied on time that it has no place in year 5.",
    "The setting confirmed its Ofsted grade and its autism designation.",
    "Considered with the plan's section F; the setting covers every provision.",
]


def test_the_corpus_has_at_least_fifty_cases_with_the_issues_22_probes():
    assert len(PROBES) == 22 and len(PROBES) + len(MORE_PERSONAL) + len(CLEAN) >= 50


@pytest.mark.parametrize(("kind", "note"), PROBES)
def test_every_probe_of_the_issue_is_refused(kind, note):
    assert personal_details(note, **KNOWN), (kind, note)


def test_the_filter_lets_through_none_of_the_personal_notes_and_says_so():
    passed = [note for _, note in PROBES if not personal_details(note, **KNOWN)]
    passed += [note for note in MORE_PERSONAL if not personal_details(note, **KNOWN)]
    refused_clean = [note for note in CLEAN if personal_details(note, **KNOWN)]
    print(f"\nnote filter: {len(passed)} of {len(PROBES) + len(MORE_PERSONAL)} personal notes let through "
          f"({sum(1 for _, n in PROBES if not personal_details(n, **KNOWN))} of {len(PROBES)} probes); "
          f"{len(refused_clean)} of {len(CLEAN)} clean notes refused")
    assert passed == []
    assert len(refused_clean) <= 1, refused_clean


def test_the_kinds_are_named_and_the_text_never_echoed():
    with pytest.raises(PlacewiseError) as refused:
        check_note("Mum on 07700 900123, born 5th March 2016", "note", **KNOWN)
    message = str(refused.value)
    assert refused.value.field == "note" and "a phone number" in message and "a date of birth" in message
    assert "07700" not in message and "2016" not in message
