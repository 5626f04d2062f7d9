"""The five criteria: each scored 0..1 over a child's candidates, and explained in words a parent can read.

- suitability: 0.6 for a published designation of the primary need, + 0.25 x the share of secondary needs
  also designated, + 0.15 x specialism (1 for three needs or fewer, falling to 0 at all twelve); where the
  policy takes in special schools that publish no designation, 0.4 with half marks for cover and specialism.
  Less 0.2 for a mainstream setting at need level 3 or 4, less 0.1 for a special school at level 1.
- availability: min(vacancies / 5, 1) where published or reported; 0.5 where estimated; 0.3 where unknown.
- travel: 1 - minutes / cap.
- performance: Ofsted Outstanding 1, Good 0.75, Requires improvement 0.35, Inadequate 0; unknown 0.5 (neutral).
- value_for_money: whole cost (placement + transport) against the band: 1.5 - whole / band, within 0..1.
"""

import numpy as np

from core.vocabulary import KIND_WORDS, KINDS, MAINSTREAM_KINDS, NEED_WORDS, OFSTED_WORDS, SPECIAL_KINDS
from matcher.candidates import Evaluation
from matcher.policy import CRITERIA, Policy
from matcher.provider_index import KNOWN_SOURCE, NEED_COLUMN, SOURCE_CODES, ProviderIndex

FULL_AVAILABILITY_VACANCIES = 5.0
OFSTED_SCORES = np.array([np.nan, 1.0, 0.75, 0.35, 0.0])
IS_SPECIAL = np.array([kind in SPECIAL_KINDS for kind in KINDS])  # by kind code
IS_MAINSTREAM = np.array([kind in MAINSTREAM_KINDS for kind in KINDS])
ESTIMATED, REPORTED = SOURCE_CODES.index("estimated"), SOURCE_CODES.index("reported")


def score_suitability(evaluation: Evaluation, index: ProviderIndex, rows: np.ndarray) -> np.ndarray:
    """Score how well each setting's designation and kind fit the child's needs."""
    child = evaluation.child
    published = index.needs_published[rows]
    secondary = [NEED_COLUMN[need] for need in child.secondary_needs if need != child.primary_need]
    covered = (index.designated[np.ix_(rows, np.array(secondary, dtype=int))].mean(axis=1) if secondary
               else np.ones(len(rows)))
    specialism = np.clip((12 - index.needs_count[rows]) / 9.0, 0.0, 1.0)
    score = np.where(published, 0.6 + 0.25 * covered + 0.15 * specialism, 0.4 + 0.25 * 0.5 + 0.15 * 0.5)
    return np.clip(score - _level_penalty(child.need_level, index.kind_code[rows]), 0.0, 1.0)


def _level_penalty(need_level: int | None, kind_code: np.ndarray) -> np.ndarray:
    if need_level is None:
        return np.zeros(len(kind_code))
    mainstream = IS_MAINSTREAM[kind_code] & (need_level >= 3)
    special = IS_SPECIAL[kind_code] & (need_level == 1)
    return 0.2 * mainstream + 0.1 * special


def score_availability(evaluation: Evaluation, index: ProviderIndex, rows: np.ndarray) -> np.ndarray:
    """Score places free: full marks at five or more known vacancies."""
    source = _vacancy_source(evaluation, index, rows)
    known = np.clip(evaluation.vacancies[rows] / FULL_AVAILABILITY_VACANCIES, 0.0, 1.0)
    return np.where(KNOWN_SOURCE[source], known, np.where(source == ESTIMATED, 0.5, 0.3))


def _vacancy_source(evaluation: Evaluation, index: ProviderIndex, rows: np.ndarray) -> np.ndarray:
    """The source code (index into SOURCE_CODES) of each row's vacancies for the child's need."""
    reported_for_need = ~np.isnan(index.need_vacancies[rows, NEED_COLUMN[evaluation.child.primary_need]])
    return np.where(reported_for_need, REPORTED, index.vacancies_source[rows])


def score_travel(evaluation: Evaluation, rows: np.ndarray) -> np.ndarray:
    """Score the journey: 1 at the door, 0 at the cap."""
    return np.clip(1.0 - evaluation.travel_minutes[rows] / evaluation.cap_minutes, 0.0, 1.0)


def score_performance(index: ProviderIndex, rows: np.ndarray) -> np.ndarray:
    """Score the last Ofsted grade; a missing grade is neutral, never bad."""
    grade = index.ofsted[rows]
    return np.where(np.isnan(grade), 0.5, OFSTED_SCORES[np.nan_to_num(grade, nan=0).astype(int)])


def score_value_for_money(evaluation: Evaluation, rows: np.ndarray, band_gbp: float) -> np.ndarray:
    """Score whole cost (placement + transport) against the band."""
    whole = evaluation.placement_cost_gbp[rows] + evaluation.transport_cost_gbp[rows]
    return np.clip(1.5 - whole / band_gbp, 0.0, 1.0)


def score_candidates(evaluation: Evaluation, index: ProviderIndex, rows: np.ndarray,
                     band_gbp: float) -> np.ndarray:
    """Return the five scores of each row, as a (rows x 5) array in the order of ``CRITERIA``."""
    return np.column_stack([
        score_suitability(evaluation, index, rows),
        score_availability(evaluation, index, rows),
        score_travel(evaluation, rows),
        score_performance(index, rows),
        score_value_for_money(evaluation, rows, band_gbp),
    ])


def score_evaluation(evaluation: Evaluation, index: ProviderIndex, policy: Policy,
                     band_gbp: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the candidate rows of an evaluation, their five scores and their weighted totals."""
    rows = np.flatnonzero(evaluation.is_candidate)
    scores = score_candidates(evaluation, index, rows, band_gbp)
    weights = policy.normalised_weights()
    return rows, scores, scores @ np.array([weights[criterion] for criterion in CRITERIA])


def explain(evaluation: Evaluation, index: ProviderIndex, row: int, band_gbp: float, travel_name: str) -> list[str]:
    """Return one sentence per criterion for one provider, in the order of ``CRITERIA``."""
    child = evaluation.child
    kind = KINDS[index.kind_code[row]]
    need_words = NEED_WORDS[child.primary_need]
    if index.needs_published[row]:
        suitability = f"{KIND_WORDS[kind]} designated for {need_words}"
        also = [NEED_WORDS[need] for need in child.secondary_needs
                if need != child.primary_need and index.designated[row, NEED_COLUMN[need]]]
        if also:
            suitability += f", and for {', '.join(also)}"
    else:
        suitability = f"{KIND_WORDS[kind]}; its designations are not published, so ask whether it meets {need_words}"
    penalty = _level_penalty(child.need_level, index.kind_code[row:row + 1])[0]
    if penalty:
        suitability += f" (less suited to need level {child.need_level})"

    source = SOURCE_CODES[_vacancy_source(evaluation, index, np.array([row]))[0]]
    vacancies = evaluation.vacancies[row]
    availability = {
        "published": f"{vacancies:.0f} places free (published capacity less pupils on roll)",
        "reported": f"{vacancies:.0f} places free (reported)",
        "estimated": f"places not published; about {vacancies:.0f} free, estimated from pupils on roll",
    }.get(source, "vacancies unknown; ask the setting")

    travel = (f"{evaluation.travel_minutes[row]:.0f} minutes by car each way ({evaluation.distance_km[row]:.1f} km, "
              f"{travel_name}); the cap is {evaluation.cap_minutes:.0f}")
    grade = index.ofsted[row]
    performance = (f"rated {OFSTED_WORDS[int(grade)]} by Ofsted" if not np.isnan(grade)
                   else "no single-word Ofsted grade published; scored as neutral")
    placement, transport = evaluation.placement_cost_gbp[row], evaluation.transport_cost_gbp[row]
    whole = placement + transport
    side = "below" if whole < band_gbp else "above" if whole > band_gbp else "at"
    value = (f"£{whole:,.0f} a year (placement £{placement:,.0f} + transport £{transport:,.0f}), {side} the band "
             f"of £{band_gbp:,.0f}")
    return [suitability, availability, travel, performance, value]

