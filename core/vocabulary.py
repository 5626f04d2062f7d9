"""The shared vocabulary of Placewise: SEN2 need codes, provider kinds, phases."""

from typing import Literal

#: SEN2 primary need codes, as in the DfE's SEN2 return and the architecture's vocabulary.
NEEDS: tuple[str, ...] = (
    "ASD", "HI", "MLD", "MSI", "OTH", "PD", "PMLD", "SEMH", "SLCN", "SLD", "SPLD", "VI",
)

#: Words a parent would read for each need.
NEED_WORDS: dict[str, str] = {
    "ASD": "autism",
    "HI": "hearing impairment",
    "MLD": "moderate learning difficulty",
    "MSI": "multi-sensory impairment",
    "OTH": "other difficulty or disability",
    "PD": "physical disability",
    "PMLD": "profound and multiple learning difficulty",
    "SEMH": "social, emotional and mental health",
    "SLCN": "speech, language and communication",
    "SLD": "severe learning difficulty",
    "SPLD": "specific learning difficulty",
    "VI": "visual impairment",
}

Kind = Literal[
    "mainstream", "resourced_provision", "sen_unit", "special_maintained", "special_academy",
    "non_maintained_special", "independent_special", "alternative_provision", "fe_college",
    "specialist_post16",
]

KINDS: tuple[str, ...] = (
    "mainstream", "resourced_provision", "sen_unit", "special_maintained", "special_academy",
    "non_maintained_special", "independent_special", "alternative_provision", "fe_college",
    "specialist_post16",
)

MAINSTREAM_KINDS: tuple[str, ...] = ("mainstream", "resourced_provision", "sen_unit", "fe_college")
SPECIAL_KINDS: frozenset[str] = frozenset(
    {"special_maintained", "special_academy", "non_maintained_special", "independent_special"}
)

KIND_WORDS: dict[str, str] = {
    "mainstream": "mainstream school",
    "resourced_provision": "mainstream school with resourced provision",
    "sen_unit": "mainstream school with an SEN unit",
    "special_maintained": "council-maintained special school",
    "special_academy": "special academy or free school",
    "non_maintained_special": "non-maintained special school",
    "independent_special": "independent special school",
    "alternative_provision": "alternative provision",
    "fe_college": "further education college",
    "specialist_post16": "specialist post-16 institution",
}

OFSTED_WORDS: dict[int, str] = {1: "Outstanding", 2: "Good", 3: "Requires improvement", 4: "Inadequate"}

Phase = Literal["early_years", "primary", "secondary", "post16"]


def phase_of_age(age: int) -> Phase:
    """Return the school phase of a child of this age on 31 August (primary 4..10, secondary 11..15)."""
    if age < 4:
        return "early_years"
    if age <= 10:
        return "primary"
    if age <= 15:
        return "secondary"
    return "post16"
