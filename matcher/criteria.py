"""The five criteria, as one table: each is its name (the policy's weight key), default weight, score and sentence.

Each criterion scores a child's candidates 0..1 and explains itself in words a parent can read:
- suitability: 0.6 for a published designation of the primary need, + 0.25 x the share of secondary needs
  also designated, + 0.15 x specialism (1 for three needs or fewer, falling to 0 at all twelve); where the
  policy takes in special schools that publish no designation, 0.4 with half marks for cover and specialism.
  Less 0.2 for a mainstream setting at need level 3 or 4, less 0.1 for a special school at level 1. Less 0.2
  (``RESIDENTIAL_UNKNOWN_PENALTY``) for a child who needs a residential place at a setting that publishes no
  boarding status: "residential status not published: ask the setting" (one known not to board is excluded by
  the hard rule ``residential_required``).
- availability: min(vacancies / 5, 1) where published or reported; 0.5 where estimated; 0.3 where unknown.
- travel: 1 - minutes / cap.
- performance: Ofsted Outstanding 1, Good 0.75, Requires improvement 0.35, Inadequate 0; unknown 0.5 (neutral).
- value_for_money: whole cost (placement + transport) against the band: 1.5 - whole / band, within 0..1; for a
  child with packages, the band is their national price band at that kind of setting plus the journey.

Adding a criterion is one entry in ``CRITERIA_TABLE`` (and its name in ``Criterion``); scores are held as one
column per criterion in the table's order, read by name with ``criterion_column``. Every criterion reads a
``matcher.scoring.Scoring``; availability, with the evidence shown beside its figure, is ``matcher.availability``.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, get_args

import numpy as np

from core.vocabulary import KIND_WORDS, KINDS, MAINSTREAM_KINDS, NEED_WORDS, OFSTED_WORDS, SPECIAL_KINDS
from matcher.availability import explain_availability, score_availability
from matcher.provider_index import NEED_COLUMN
from matcher.scoring import Scoring, unit
from matcher.travel.protocol import TRAVEL_METHODS

if TYPE_CHECKING:
    from matcher.provider_index import ProviderIndex

Criterion = Literal["suitability", "availability", "travel", "performance", "value_for_money"]

RESIDENTIAL_UNKNOWN_PENALTY = 0.2
RESIDENTIAL_UNKNOWN_WORDS = "residential status not published: ask the setting"
OFSTED_SCORES = np.array([np.nan, 1.0, 0.75, 0.35, 0.0])
IS_SPECIAL = np.array([kind in SPECIAL_KINDS for kind in KINDS])  # by kind code
IS_MAINSTREAM = np.array([kind in MAINSTREAM_KINDS for kind in KINDS])


def score_suitability(s: Scoring, pairs: np.ndarray) -> np.ndarray:
    """Score how well each setting's designation and kind fit the child's needs."""
    index, children = s.evaluation.index, s.evaluation.children
    providers = s.evaluation.provider[pairs]
    published = index.needs_published[providers]
    if children.secondary.any():
        secondary = children.secondary[s.evaluation.child[pairs]]
        count = secondary.sum(axis=1)
        covered = np.where(count > 0, (index.designated[providers] & secondary).sum(axis=1) / np.maximum(count, 1),
                           1.0)
    else:  # no secondary needs: all are covered
        covered = np.ones(len(pairs))
    specialism = index.derive("specialism_part", _specialism_part)[providers]
    score = np.where(published, 0.6 + 0.25 * covered + specialism, 0.4 + 0.25 * 0.5 + 0.15 * 0.5)
    penalty = LEVEL_PENALTY[s.c(children.need_level, pairs), index.kind_code[providers]]
    penalty = penalty + RESIDENTIAL_UNKNOWN_PENALTY * _boarding_unknown(s, pairs)
    return unit(score - penalty)


def _boarding_unknown(s: Scoring, pairs: np.ndarray) -> np.ndarray:
    """Pairs whose child needs a residential place at a setting that publishes no boarding status."""
    return s.c(s.evaluation.children.requires_residential, pairs) & (s.p(s.evaluation.index.residential, pairs) < 0)


def _specialism_part(index: "ProviderIndex") -> np.ndarray:
    """0.15 x specialism: 1 for three needs or fewer, falling to 0 at all twelve."""
    return 0.15 * np.clip((12 - index.needs_count) / 9.0, 0.0, 1.0)


def _level_penalty(need_level: np.ndarray, kind_code: np.ndarray) -> np.ndarray:
    """Less 0.2 for a mainstream setting at need level 3 or 4, less 0.1 for a special school at level 1 (level 0:
    not given)."""
    return 0.2 * (IS_MAINSTREAM[kind_code] & (need_level >= 3)) + 0.1 * (IS_SPECIAL[kind_code] & (need_level == 1))


#: ``_level_penalty`` by need level (0 to 4, rows) and kind code (columns).
LEVEL_PENALTY = _level_penalty(np.arange(5)[:, None], np.arange(len(KINDS))[None, :])


def explain_suitability(s: Scoring, pairs: np.ndarray) -> list[str]:
    evaluation = s.evaluation
    index, children = evaluation.index, evaluation.children.children
    providers = evaluation.provider[pairs]
    sentences = []
    for child_at, row, kind_code, published, boarding_unknown in zip(
            evaluation.child[pairs].tolist(), providers.tolist(), index.kind_code[providers].tolist(),
            index.needs_published[providers].tolist(), _boarding_unknown(s, pairs).tolist(), strict=True):
        child = children[child_at]
        kind, need_words = KINDS[kind_code], NEED_WORDS[child.primary_need]
        if published:
            words = f"{KIND_WORDS[kind]} designated for {need_words}"
            also = [NEED_WORDS[need] for need in child.secondary_needs
                    if need != child.primary_need and index.designated[row, NEED_COLUMN[need]]]
            if also:
                words += f", and for {', '.join(also)}"
        else:
            words = f"{KIND_WORDS[kind]}; designations not published: ask the setting whether it meets {need_words}"
        level = child.need_level or 0
        if (IS_MAINSTREAM[kind_code] and level >= 3) or (IS_SPECIAL[kind_code] and level == 1):
            words += f" (less suited to need level {child.need_level})"
        if boarding_unknown:
            words += f"; {RESIDENTIAL_UNKNOWN_WORDS}"
        sentences.append(words)
    return sentences


def score_travel(s: Scoring, pairs: np.ndarray) -> np.ndarray:
    """Score the journey: 1 at the door, 0 at the cap (and beyond it, for a journey kept for its band)."""
    return unit(1.0 - s.evaluation.travel.minutes[pairs] / s.evaluation.cap_minutes[pairs])


def explain_travel(s: Scoring, pairs: np.ndarray) -> list[str]:
    evaluation = s.evaluation
    journey = evaluation.travel
    sentences = []
    for minutes, low, high, km, method, cap in zip(
            journey.minutes[pairs].tolist(), journey.low_minutes[pairs].tolist(), journey.high_minutes[pairs].tolist(),
            journey.km[pairs].tolist(), journey.method[pairs].tolist(), evaluation.cap_minutes[pairs].tolist(),
            strict=True):
        band = f", {low:.0f} to {high:.0f}" if round(high) > round(low) else ""
        words = (f"about {minutes:.0f} minutes by car each way ({km:.1f} km{band}), {TRAVEL_METHODS[method]}; "
                 f"the cap is {cap:.0f}")
        if minutes > cap:
            words += f"; may be over the {cap:.0f}-minute cap: check the route"
        sentences.append(words)
    return sentences


def score_performance(s: Scoring, pairs: np.ndarray) -> np.ndarray:
    """Score the last Ofsted grade; a missing grade is neutral, never bad."""
    return s.p(s.evaluation.index.derive("performance_score", _performance_scores), pairs)


def _performance_scores(index: "ProviderIndex") -> np.ndarray:
    grade = index.ofsted
    return np.where(np.isnan(grade), 0.5, OFSTED_SCORES[np.nan_to_num(grade, nan=0).astype(int)])


def explain_performance(s: Scoring, pairs: np.ndarray) -> list[str]:
    return [f"rated {OFSTED_WORDS[int(grade)]} by Ofsted" if not math.isnan(grade)
            else "no single-word Ofsted grade published; scored as neutral"
            for grade in s.p(s.evaluation.index.ofsted, pairs).tolist()]


def score_value_for_money(s: Scoring, pairs: np.ndarray) -> np.ndarray:
    """Score whole cost (placement + transport) against the band."""
    whole = s.evaluation.placement_cost_gbp[pairs] + s.evaluation.transport_cost_gbp[pairs]
    return unit(1.5 - whole / s.evaluation.band_gbp[pairs])


def explain_value_for_money(s: Scoring, pairs: np.ndarray) -> list[str]:
    evaluation = s.evaluation
    priced = (evaluation.price_band[pairs] if evaluation.price_band is not None
              else np.zeros(len(pairs), dtype=bool)).tolist()
    sentences = []
    for placement, transport, band, by_price_band in zip(
            evaluation.placement_cost_gbp[pairs].tolist(), evaluation.transport_cost_gbp[pairs].tolist(),
            evaluation.band_gbp[pairs].tolist(), priced, strict=True):
        whole = placement + transport
        if by_price_band:
            price = band - transport
            side = "within" if placement <= price else "above"
            sentences.append(f"£{whole:,.0f} a year (placement £{placement:,.0f} + transport £{transport:,.0f}); the "
                             f"placement is {side} the national price band of £{price:,.0f} for the child's packages")
            continue
        side = "below" if whole < band else "above" if whole > band else "at"
        sentences.append(f"£{whole:,.0f} a year (placement £{placement:,.0f} + transport £{transport:,.0f}), {side} "
                         f"the band of £{band:,.0f}")
    return sentences


@dataclass(frozen=True)
class CriterionRule:
    name: str  # the policy's weight key
    default_weight: float
    score: Callable[[Scoring, np.ndarray], np.ndarray]  # 0..1 for each of the given pairs
    explain: Callable[[Scoring, np.ndarray], list[str]]  # one sentence for each of the given pairs


#: Defaults, and why: suitability leads because a setting that cannot meet the need fails the child whatever else
#: it offers; travel next because long journeys harm children and cost councils most; the others share the rest.
CRITERIA_TABLE: tuple[CriterionRule, ...] = (
    CriterionRule("suitability", 0.30, score_suitability, explain_suitability),
    CriterionRule("availability", 0.15, score_availability, explain_availability),
    CriterionRule("travel", 0.25, score_travel, explain_travel),
    CriterionRule("performance", 0.15, score_performance, explain_performance),
    CriterionRule("value_for_money", 0.15, score_value_for_money, explain_value_for_money),
)
CRITERIA: tuple[str, ...] = tuple(rule.name for rule in CRITERIA_TABLE)
DEFAULT_WEIGHTS: dict[str, float] = {rule.name: rule.default_weight for rule in CRITERIA_TABLE}
if set(CRITERIA) != set(get_args(Criterion)):
    raise AssertionError("matcher.criteria: the table and the Criterion names differ")


def criterion_column(name: str) -> int:
    """The column of a criterion in every scores array (arcs or rows x criteria)."""
    return CRITERIA.index(name)


def score_candidates(scoring: Scoring, pairs: np.ndarray) -> np.ndarray:
    """The scores of each pair, as a (pairs x criteria) array in the order of ``CRITERIA``."""
    return np.stack([rule.score(scoring, pairs) for rule in CRITERIA_TABLE], axis=1) if len(pairs) else np.zeros(
        (0, len(CRITERIA_TABLE)))


def explain(scoring: Scoring, pair: int) -> list[str]:
    """One sentence per criterion for one pair, in the order of ``CRITERIA``."""
    return explain_pairs(scoring, np.array([pair]))[0]


def explain_pairs(scoring: Scoring, pairs: np.ndarray) -> list[list[str]]:
    """For each of the given pairs, one sentence per criterion in the order of ``CRITERIA``."""
    sentences = [rule.explain(scoring, pairs) for rule in CRITERIA_TABLE]
    return [list(pair) for pair in zip(*sentences, strict=True)] if len(pairs) else []
