"""The register the service answers from: the providers loaded at start, with the vacancy reports in the store.

Each server process holds one ``LiveRegister``. Before it answers from the register it asks the store for the
newest vacancy report (one indexed query, which an API request's gate has made already:
``api.platform.security.gate``); when another process (or this one) has stored a report since, or the day has
changed (reports older than ``vacancy_max_age_days`` stop holding), it lays the register out again, so every server
process answers from the same vacancies, each figure with its evidence (``scenarios.vacancy_evidence``).
Value for money is judged against the deployment's national price bands for children given packages (the
``packages`` setting).
"""

import threading
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.engine import Engine

from api.platform.store.vacancy_reports import reports_version, stored_reports
from matcher.shortlist import Shortlister, build_shortlister
from scenarios.data_version import data_version
from scenarios.inputs import Inputs, council_codes, council_names, councils_note
from scenarios.packages_config import PackageSetup
from scenarios.vacancy_evidence import apply_reports


@dataclass(frozen=True, eq=False)
class RegisterView:
    """The register as of one version of the vacancy reports: its inputs and the shortlister laid out on them."""

    inputs: Inputs
    shortlister: Shortlister
    version: tuple[int, int, date]  # (reports stored, newest report id, the day reports' age is counted on)
    councils: frozenset[str]  # the register of councils: the data's (or the demo's) ONS codes
    councils_note: str  # how to find a right code
    council_names: dict[str, str]  # each council's name by its code
    packages: PackageSetup  # the catalogue and the capability table over the register
    data_version: dict  # the register's date and the SHA-256 of every file the answers rest on

    def council_name(self, code: str) -> str:
        """The council's name (its code where the register has none)."""
        return self.council_names.get(code, code)

    def provider_name(self, provider_id: object) -> str:
        """The setting's name (its URN where the register has none)."""
        names = self.inputs.providers["name"]
        try:
            return str(names.get(int(provider_id), provider_id))  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return str(provider_id)


class LiveRegister:
    def __init__(self, base: Inputs, engine: Engine, packages: PackageSetup, vacancy_max_age_days: int = 30) -> None:
        self.base, self.engine, self.packages = base, engine, packages
        self.vacancy_max_age_days = vacancy_max_age_days
        self.data_version = data_version(base, packages.files)
        self.councils, self.councils_note = council_codes(base.data_dir), councils_note(base.data_dir)
        self.council_names = council_names(base.data_dir)
        self._lock = threading.Lock()
        self._view: RegisterView | None = None

    def current(self, reports: tuple[int, int] | None = None) -> RegisterView:
        """The register with every vacancy report stored so far (laid out again only when they changed), given
        ``reports_version`` where the caller has read it already."""
        if reports is None:
            with self.engine.connect() as connection:
                reports = reports_version(connection)
        version = (*reports, date.today())
        view = self._view
        if view is not None and view.version == version:
            return view
        with self._lock:
            if self._view is None or self._view.version != version:
                self._view = self._build(version)
            return self._view

    def laid_out(self, reports: tuple[int, int]) -> RegisterView | None:
        """The register for that version of the reports where it is laid out already (no store, no work); None
        where ``current`` is needed."""
        view = self._view
        return view if view is not None and view.version == (*reports, date.today()) else None

    def _build(self, version: tuple[int, int, date]) -> RegisterView:
        frame = stored_reports(self.engine, version[1])
        inputs = self.base
        if not frame.empty:
            inputs = replace(inputs, providers=apply_reports(inputs.providers, frame, version[2],
                                                             self.vacancy_max_age_days))
        costs = inputs.costs.with_catalogue(self.packages.catalogue)
        shortlister = build_shortlister(inputs.providers, travel=inputs.travel, costs=costs)
        return RegisterView(inputs, shortlister, version, self.councils, self.councils_note, self.council_names,
                            self.packages, self.data_version)

