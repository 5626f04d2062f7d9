"""The availability criterion: places free for the child's need, scored 0..1 (full marks at five or more known
vacancies; 0.5 where estimated; 0.3 where unknown), explained, and the evidence shown beside the figure."""

import math
from typing import TYPE_CHECKING

import numpy as np

from core.vocabulary import SOURCES
from matcher.provider_index import KNOWN_SOURCE
from matcher.scoring import Scoring, unit

if TYPE_CHECKING:
    from matcher.provider_index import ProviderIndex

FULL_AVAILABILITY_VACANCIES = 5.0
ESTIMATED, REPORTED = SOURCES.index("estimated"), SOURCES.index("reported")


def score_availability(s: Scoring, pairs: np.ndarray) -> np.ndarray:
    """Score places free: full marks at five or more known vacancies."""
    source = _vacancy_source(s, pairs)
    known = unit(s.evaluation.vacancies[pairs] / FULL_AVAILABILITY_VACANCIES)
    return np.where(KNOWN_SOURCE[source], known, np.where(source == ESTIMATED, 0.5, 0.3))


def _vacancy_source(s: Scoring, pairs: np.ndarray) -> np.ndarray:
    """The source code (index into SOURCES) of each pair's vacancies for the child's need."""
    evaluation = s.evaluation
    providers = evaluation.provider[pairs]
    need = evaluation.children.need[evaluation.child[pairs]]
    reported_for_need = ~np.isnan(evaluation.index.need_vacancies[providers, need])
    return np.where(reported_for_need, REPORTED, evaluation.index.vacancies_source[providers])


def explain_availability(s: Scoring, pairs: np.ndarray) -> list[str]:
    evaluation = s.evaluation
    providers, need = evaluation.provider[pairs], evaluation.children.need[evaluation.child[pairs]]
    reported = ~np.isnan(evaluation.index.need_vacancies[providers, need])
    notes = evaluation.index.derive("vacancies_note", _vacancy_notes)[providers]
    sentences = []
    for by_need, source_code, vacancies, note in zip(reported.tolist(), evaluation.index.vacancies_source[
            providers].tolist(), evaluation.vacancies[pairs].tolist(), notes.tolist(), strict=True):
        source = "reported" if by_need else SOURCES[source_code]
        if source == "published":
            sentences.append(f"{vacancies:.0f} places free (published capacity less pupils on roll)")
        elif source == "reported":
            sentences.append(f"{vacancies:.0f} places free ({note or 'reported'})")
        elif source == "estimated":
            sentences.append(f"places not published; about {vacancies:.0f} free, estimated from pupils on roll"
                             + (f"; {note}" if note else ""))
        else:
            sentences.append("vacancies unknown; ask the setting" + (f"; {note}" if note else ""))
    return sentences


def availability_evidence(s: Scoring, pairs: np.ndarray) -> tuple[list[int | None], list[str]]:
    """Each pair's places free for the child's need (None where unknown) and the evidence label that goes with the
    figure wherever it is shown: ``published``, the report's own words (``reported by the setting on 3 December
    2026``), ``reported``, ``estimated`` (with why a report no longer holds, where one does not) or ``unknown``."""
    evaluation = s.evaluation
    providers = evaluation.provider[pairs]
    notes = evaluation.index.derive("vacancies_note", _vacancy_notes)[providers]
    figures, labels = [], []
    for source_code, vacancies, note in zip(_vacancy_source(s, pairs).tolist(), evaluation.vacancies[pairs].tolist(),
                                            notes.tolist(), strict=True):
        source = SOURCES[source_code]
        figures.append(None if source == "unknown" or math.isnan(vacancies) else int(round(vacancies)))
        labels.append(note if note and source == "reported" else f"{source}: {note}" if note else source)
    return figures, labels


def _vacancy_notes(index: "ProviderIndex") -> np.ndarray:
    """Each provider's evidence note (``vacancies_note``: who reported its places and when, or why a report no longer
    holds), empty where there is none."""
    if "vacancies_note" not in index.providers:
        return np.full(len(index.provider_id), "", dtype=object)
    return index.providers["vacancies_note"].fillna("").astype(str).to_numpy(dtype=object)
