"""The providers table as numpy arrays, built once, so that one child's shortlist never touches pandas."""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.vocabulary import KINDS, NEEDS, SOURCES, SPECIAL_KINDS
from matcher.contracts import check_providers

NEED_COLUMN = {need: column for column, need in enumerate(NEEDS)}
GENDER_CODE = {"mixed": 0, "boys": 1, "girls": 2}
#: By source code: vacancies that are published or reported (known), as against estimated or unknown.
KNOWN_SOURCE = np.array([source in ("published", "reported") for source in SOURCES])


@dataclass(frozen=True, eq=False)
class ProviderIndex:
    """Arrays over providers in table order; position ``i`` is row ``i`` of ``providers``."""

    providers: pd.DataFrame
    provider_id: np.ndarray
    position: dict[int, int]
    kind_code: np.ndarray  # index into KINDS
    designated: np.ndarray  # bool, providers x needs
    needs_published: np.ndarray
    needs_count: np.ndarray
    age_low: np.ndarray
    age_high: np.ndarray
    gender_code: np.ndarray
    residential: np.ndarray  # 1 offers boarding, 0 does not, -1 not published
    ofsted: np.ndarray  # float, NaN where unknown
    vacancies: np.ndarray  # float, NaN where unknown
    vacancies_source: np.ndarray  # index into SOURCES
    need_vacancies: np.ndarray  # float, providers x needs, NaN where not reported
    is_open: np.ndarray
    is_special_school: np.ndarray  # a special school of any kind (maintained, academy, non-maintained, independent)
    easting: np.ndarray
    northing: np.ndarray


def build_provider_index(providers: pd.DataFrame) -> ProviderIndex:
    """Check the providers table and lay it out as arrays for fast per-child work."""
    check_providers(providers)
    designated = np.zeros((len(providers), len(NEEDS)), dtype=bool)
    need_vacancies = np.full((len(providers), len(NEEDS)), np.nan)
    reported = providers["need_vacancies"] if "need_vacancies" in providers else pd.Series(
        [{}] * len(providers), index=providers.index)
    for row, (needs, by_need) in enumerate(zip(providers["designated_needs"], reported, strict=True)):
        designated[row, [NEED_COLUMN[need] for need in needs]] = True
        for need, count in (by_need or {}).items():
            need_vacancies[row, NEED_COLUMN[need]] = count
    residential = providers["residential"].astype("boolean")
    return ProviderIndex(
        providers=providers,
        provider_id=providers.index.to_numpy(dtype=np.int64),
        position={int(provider_id): row for row, provider_id in enumerate(providers.index)},
        kind_code=providers["kind"].map({kind: code for code, kind in enumerate(KINDS)}).to_numpy(np.int8),
        designated=designated,
        needs_published=np.asarray(designated.any(axis=1)),
        needs_count=designated.sum(axis=1),
        age_low=providers["age_low"].to_numpy(dtype=float),
        age_high=providers["age_high"].to_numpy(dtype=float),
        gender_code=providers["gender"].map(GENDER_CODE).to_numpy(np.int8),
        residential=np.where(residential.isna(), -1, residential.fillna(False).astype(int)).astype(np.int8),
        ofsted=providers["ofsted"].astype("Float64").to_numpy(dtype=float, na_value=np.nan),
        vacancies=providers["vacancies"].astype("Float64").to_numpy(dtype=float, na_value=np.nan),
        vacancies_source=providers["vacancies_source"].map(
            {source: code for code, source in enumerate(SOURCES)}).fillna(SOURCES.index("unknown")).to_numpy(np.int8),
        need_vacancies=need_vacancies,
        is_open=providers["status"].ne("closed").to_numpy(),
        is_special_school=providers["kind"].isin(SPECIAL_KINDS).to_numpy(),
        easting=providers["easting"].to_numpy(dtype=float),
        northing=providers["northing"].to_numpy(dtype=float),
    )
