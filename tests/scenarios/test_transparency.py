"""Transparency: the ATRS record has every field of the published template, filled; the DPIA starter has the ICO
template's sections; fairness monitoring flags a group whose outcomes differ widely, and only such a group."""

import pandas as pd

from matcher.policy import Policy
from scenarios.packages_config import load_catalogue
from scenarios.transparency.atrs import ATRS_FIELDS, IMPACT_FIELDS, MODEL_FIELDS, Deployment, atrs_markdown, atrs_record
from scenarios.transparency.dpia import dpia_markdown
from scenarios.transparency.fairness import fairness_table

DEPLOYMENT = Deployment("Example Council", "SEND placements", "Director of Children's Services", "send@example.org",
                        "https://example.org/send", {"register_source": "demo", "register_date": "2025-01-09",
                                                     "files": {"gias/a.csv": "0" * 64}}, 29, Policy(),
                        load_catalogue())


def test_the_atrs_record_fills_every_field_of_the_published_template():
    record = atrs_record(DEPLOYMENT)
    assert list(ATRS_FIELDS) == [key for key in record if key != "standard"]
    assert ATRS_FIELDS["tier_1"] == ("name", "description", "website", "contact_email")
    assert len(ATRS_FIELDS) == 7  # Tier 1 and the six sections of Tier 2
    for section, names in ATRS_FIELDS.items():
        assert set(record[section]) == set(names), section
        assert all(record[section][name] not in ("", None, []) for name in names), section
    [model] = record["tool_specification"]["models"]
    assert set(model) == set(MODEL_FIELDS) and all(model.values())
    [assessment] = record["risks_mitigations_and_impact_assessments"]["impact_assessments"]
    assert set(assessment) == set(IMPACT_FIELDS)
    assert "ILLUSTRATIVE" in record["description_and_rationale"]["detailed_description"]
    assert "Example Council" in atrs_markdown(record) and "29 settings" in atrs_markdown(record)


def test_the_dpia_starter_has_the_ico_templates_sections():
    text = dpia_markdown(DEPLOYMENT)
    for heading in ("1. Why a DPIA is needed", "2. The processing", "3. Consultation", "4. Necessity and "
                    "proportionality", "5. Risks", "6. Measures approved", "7. Sign-off"):
        assert f"## {heading}" in text


def test_fairness_flags_a_group_whose_outcomes_differ_widely():
    rows, cohort = [], []
    for number in range(60):
        far = number >= 30  # girls: placed far away and half unplaced
        placed = not (far and number % 2)
        rows.append({"child_id": f"C{number}", "home_council": "E06900001", "primary_need": "ASD",
                     "provider_id": 1 if placed else None, "host_council": "E06900002" if far else "E06900001",
                     "travel_minutes": 60.0 if far else 10.0, "placement_cost_gbp": 20_000.0,
                     "transport_cost_gbp": 1_000.0})
        cohort.append({"child_id": f"C{number}", "sex": "F" if far else "M", "age": 9})
    table = fairness_table(pd.DataFrame(rows), pd.DataFrame(cohort).set_index("child_id"))
    flags = table.set_index(["dimension", "group"])["flags"]
    assert "placed share" in flags[("sex", "F")] and "out-of-area share" in flags[("sex", "F")]
    assert "mean travel" in flags[("sex", "F")]
    assert flags[("council", "E06900001")] == "" and flags[("need", "ASD")] == ""  # the whole run: no difference
    assert table.set_index(["dimension", "group"]).loc[("all", "all"), "children"] == 60
