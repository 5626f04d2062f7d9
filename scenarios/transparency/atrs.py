"""The deployment's Algorithmic Transparency Recording Standard (ATRS) record, from its configuration and data.

The fields are those of the published ATRS template (version 3.0): Tier 1, the summary for the public (name,
description, website, contact), and Tier 2's six sections: owner and responsibility; description and rationale;
decision-making process; tool specification (with each model); data specification; risks, mitigations and impact
assessments. ``ATRS_FIELDS`` lists them, and ``atrs_record`` fills every one: what the deployment is (the
organisation, team and owner a council gives), what the code does (written here, true of every deployment), and
what it runs on (the data version, the register's size, the policy, the packages catalogue). A council reviews the
record before it publishes it; fields a council must complete say so.
"""

from dataclasses import dataclass

from matcher.criteria import DEFAULT_WEIGHTS
from matcher.packages import Catalogue
from matcher.policy import Policy

ATRS_VERSION = "3.0"
ATRS_FIELDS: dict[str, tuple[str, ...]] = {
    "tier_1": ("name", "description", "website", "contact_email"),
    "owner_and_responsibility": ("organisation", "team", "senior_responsible_owner", "third_party_involvement",
                                 "third_party", "companies_house_number", "third_party_role",
                                 "procurement_procedure_type", "third_party_data_access_terms"),
    "description_and_rationale": ("detailed_description", "scope", "benefit", "previous_process",
                                  "alternatives_considered"),
    "decision_making_process": ("process_integration", "provided_information", "frequency_and_scale_of_usage",
                                "human_decisions_and_review", "required_training", "appeals_and_review"),
    "tool_specification": ("system_architecture", "phase", "maintenance", "models"),
    "data_specification": ("source_data_name", "data_modality", "data_description", "data_quantities",
                           "sensitive_attributes", "data_completeness_and_representativeness", "source_data_url",
                           "data_collection", "data_cleaning", "data_sharing_agreements", "data_access_and_storage"),
    "risks_mitigations_and_impact_assessments": ("impact_assessments", "risks_and_mitigations"),
}
MODEL_FIELDS = ("model_name", "model_version", "model_task", "model_input", "model_output", "model_architecture",
                "model_performance", "datasets", "dataset_purposes")
IMPACT_FIELDS = ("assessment_name", "description", "date_completed", "link")
TO_COMPLETE = "TO COMPLETE by the council before publication"


@dataclass(frozen=True)
class Deployment:
    """What a council says of its deployment, and what the deployment runs on."""

    organisation: str
    team: str
    senior_responsible_owner: str
    contact_email: str
    website: str
    data_version: dict
    providers: int
    policy: Policy
    catalogue: Catalogue
    phase: str = "beta"
    dpia_date: str = TO_COMPLETE


def atrs_record(deployment: Deployment) -> dict:
    """Every field of the ATRS template, filled for this deployment."""
    d, policy = deployment, deployment.policy
    weights = ", ".join(f"{name.replace('_', ' ')} {weight:.2f}" for name, weight in policy.normalised_weights()
                        .items())
    caps = ", ".join(f"{phase} {minutes:.0f}" for phase, minutes in policy.travel_caps_minutes.items())
    files = d.data_version.get("files", {})
    packages = (f"{len(d.catalogue.packages)} Specialist Provision Packages and {len(d.catalogue.bands)} national "
                f"price bands from {d.catalogue.source}" + (" (ILLUSTRATIVE: not the Department for Education's)"
                                                              if d.catalogue.illustrative else ""))
    return {
        "standard": f"Algorithmic Transparency Recording Standard, template {ATRS_VERSION}",
        "tier_1": {
            "name": f"Placewise at {d.organisation}",
            "description": "Placewise helps the council find schools and colleges that can meet the needs of a child "
                           "with an education, health and care plan. It lists the settings within reach that can "
                           "deliver the child's Specialist Provision Packages, explains why each is listed, and "
                           "ranks them as advice. A named officer consults the settings, considers each reply and "
                           "decides; the tool decides nothing. Every decision is recorded and can be checked.",
            "website": d.website, "contact_email": d.contact_email},
        "owner_and_responsibility": {
            "organisation": d.organisation, "team": d.team, "senior_responsible_owner": d.senior_responsible_owner,
            "third_party_involvement": "No: the council runs Placewise itself (open-source code).",
            "third_party": "None", "companies_house_number": "Not applicable", "third_party_role": "Not applicable",
            "procurement_procedure_type": "Not applicable: no procurement",
            "third_party_data_access_terms": "No third party has access to the data."},
        "description_and_rationale": {
            "detailed_description": "For one child, Placewise applies hard rules (the setting is open, designated for "
                                    "the need, takes the child's age and sex, offers residence where needed, has a "
                                    "place, and lies within the travel cap) to every setting in the schools register, "
                                    "then scores the rest on five criteria: suitability, availability, travel, "
                                    f"performance and value for money (weights: {weights}). Settings able to deliver "
                                    f"the child's packages form the list offered; {packages}.",
            "scope": "Placement decisions for children with EHC plans of the council's area, and planning of "
                     "specialist places across councils. Not used to assess needs or to decide whether a child has "
                     "a plan.",
            "benefit": "A transparent, explained list of settings for every family; consultations that cannot be "
                       "overlooked; decisions a family and a tribunal can read and verify; planning that shows the "
                       "effect on cost and travel.",
            "previous_process": "Settings were found by officers' knowledge and consulted by e-mail; replies were "
                                "tracked by hand; decisions were letters without the evidence behind them.",
            "alternatives_considered": "Spreadsheets of settings (no reasons, no audit); a commercial case system "
                                       "(no explanation of lists); doing nothing."},
        "decision_making_process": {
            "process_integration": "Officers ask for a package list when a plan names packages; they consult chosen "
                                   "settings through Placewise (with the statutory "
                                   "deadline), record each reply and consider it; a decision maker decides.",
            "provided_information": "The list (alphabetical, each with its reason), the ranked shortlist with five "
                                    "scores and a sentence each, the near misses and why, the parents' preference "
                                    "weighed against the best alternative and the efficient-use test "
                                    f"(£{policy.preference_cost_limit_gbp:,.0f} a year).",
            "frequency_and_scale_of_usage": f"Each placement decision and annual review; {d.providers:,} settings in "
                                            "the register.",
            "human_decisions_and_review": "The engine's output is advice. Only a named person holding the "
                                          "decision_maker role can decide, and only after a named officer has "
                                          "considered every setting's reply; the service refuses anything else.",
            "required_training": "SEND officers: reading the list and scores, recording and considering replies, "
                                 "writing notes free of children's details. " + TO_COMPLETE + ": the council's "
                                 "training record.",
            "appeals_and_review": "Families may ask for mediation and appeal to the First-tier Tribunal (SEND); a "
                                  "reconsideration is recorded as a new version linked to the old, and the tribunal "
                                  "bundle holds every version with its hash."},
        "tool_specification": {
            "system_architecture": "A Python service (FastAPI) and command line over the engine (pandas, numpy, "
                                   "OR-Tools and HiGHS for allocation); PostgreSQL or SQLite store with row-level "
                                   "security by council and append-only audit and decision tables.",
            "phase": d.phase,
            "maintenance": "The register and costs are reloaded when the DfE publishes; the packages and bands are "
                           "configuration reviewed by the council; every change is in the code's history.",
            "models": [{
                "model_name": "Placewise rules and weighted criteria", "model_version": "1",
                "model_task": "Eligibility of settings for one child, and an explained ranking of the eligible",
                "model_input": "The child's pseudonymous record (needs, level, age, sex, home area, packages, "
                               "preferences) and the schools register",
                "model_output": "The package list, the shortlist with scores and sentences, the near misses",
                "model_architecture": f"Hard rules, then a weighted sum of five 0-1 scores (defaults "
                                      f"{', '.join(f'{k} {v}' for k, v in DEFAULT_WEIGHTS.items())}); travel caps "
                                      f"in minutes: {caps}. No machine learning.",
                "model_performance": "Deterministic; tested on cases solvable by hand and against an independent "
                                     "checker; fairness monitoring of runs by council, need, sex and age group.",
                "datasets": "GIAS schools register, DfE performance tables and census, SEN2, s251 outturn, ONS areas",
                "dataset_purposes": "Settings and their designations, places and costs; locating homes; calibrating "
                                    "costs"}]},
        "data_specification": {
            "source_data_name": "Get Information About Schools; school performance tables and census 2023-24; SEN2 "
                                "2025; s251 outturn 2023-24; ONS boundaries, centroids and lookups; the council's "
                                "children's records; the packages and bands configuration",
            "data_modality": "Tabular",
            "data_description": f"Register {d.data_version.get('register_source')} dated "
                                f"{d.data_version.get('register_date')}; {len(files)} files, each with its SHA-256 "
                                "in every decision record.",
            "data_quantities": f"{d.providers:,} settings; children as the council records them",
            "sensitive_attributes": "Special category data: a child's special educational needs and disability. Also "
                                    "sex and age. Pseudonymous ids and an LSOA only; no names or addresses kept.",
            "data_completeness_and_representativeness": "Designations are missing for many independent special "
                                                        "schools (treated as 'ask the setting'); places are "
                                                        "estimated where not published, and marked so.",
            "source_data_url": "https://get-information-schools.service.gov.uk/; https://explore-education-"
                               "statistics.service.gov.uk/; https://geoportal.statistics.gov.uk/",
            "data_collection": "Published open data (Open Government Licence); children's records from the council's "
                               "case system, for the purpose of placement under the Children and Families Act 2014.",
            "data_cleaning": "Importers map GIAS types to kinds, SEN labels to SEN2 codes, old council codes to "
                             "current ones; rows dropped are counted by reason.",
            "data_sharing_agreements": "None: data stays with the council. " + TO_COMPLETE + " where councils of a "
                                                                                             "sub-region pool places.",
            "data_access_and_storage": "Each council sees only its own children (checked on every route and, on "
                                       "PostgreSQL, by row-level security); every read and write is audited; decisions "
                                       "and audit rows cannot be changed."},
        "risks_mitigations_and_impact_assessments": {
            "impact_assessments": [{"assessment_name": "Data protection impact assessment",
                                    "description": "Generated as a starter by placewise dpia; completed by the "
                                                   "council's data protection officer.",
                                    "date_completed": d.dpia_date, "link": TO_COMPLETE}],
            "risks_and_mitigations": "Automation bias (officers follow the ranking): the list is alphabetical and the "
                                     "ranking labelled advice; a named person decides. Unfair outcomes for groups: "
                                     "fairness monitoring flags large differences. Wrong or old data: the data "
                                     "version is recorded with every decision. Illustrative packages or bands used as "
                                     "real: marked ILLUSTRATIVE in every list, letter and bundle. Disclosure: council "
                                     "walls, audit, no free text but notes checked for children's details."},
    }


def atrs_markdown(record: dict) -> str:
    """The record as Markdown, a section a heading and a field a line."""
    lines = [f"# {record['tier_1']['name']}", "", f"_{record['standard']}_", ""]
    for section, names in ATRS_FIELDS.items():
        lines += [f"## {section.replace('_', ' ').capitalize()}", ""]
        for name in names:
            value = record[section][name]
            if isinstance(value, list):
                value = "; ".join(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in item.items()) for item in value)
            lines.append(f"- **{name.replace('_', ' ').capitalize()}**: {value}")
        lines.append("")
    return "\n".join(lines)
