"""The arrays the hard rules, criteria and costs read: a block of children (``Children``) and their pairs with
providers as evaluated (``Evaluation``).

A leaf: of ``matcher`` it imports only leaves (``child``, ``provider_index``, ``travel.protocol``), so every module
that reads these shapes names them without a circle; ``matcher.evaluation`` builds them.
"""

from dataclasses import dataclass, fields, replace

import numpy as np

from matcher.child import Child
from matcher.provider_index import ProviderIndex
from matcher.travel.protocol import TravelEstimate

NO_PROVIDER = -1


@dataclass(frozen=True, eq=False)
class Children:
    """A block of located children as arrays, one entry per child, in the order given."""

    children: tuple[Child, ...]  # each child's record (empty where ``without_records``)
    easting: np.ndarray
    northing: np.ndarray
    age: np.ndarray
    year_age: np.ndarray  # the age the child's year group is taught at (NCY + 4 where given, else the age)
    post16: np.ndarray  # bool: in Years 12 to 14 (or, with no year group, 16 or over)
    other_sex: np.ndarray  # the gender code of single-sex settings for the other sex (1 boys, 2 girls; -1 none)
    requires_residential: np.ndarray
    need: np.ndarray  # the primary need's column
    need_level: np.ndarray  # 0 where none is given
    secondary: np.ndarray  # bool, children x needs: secondary needs other than the primary
    cap_minutes: np.ndarray
    current: np.ndarray  # the current setting's provider id, or NO_PROVIDER
    council: np.ndarray  # object: home councils
    mode_weights: np.ndarray  # children x transport modes: the child's own mode, else the policy's mix
    mode_parts: dict[str, float]  # each mode's cost relative to the others (the policy's)
    walking_km: np.ndarray  # journeys up to this km cost nothing: the statutory walking distance where the policy
    # says so (``free_within_walking_distance``), else 0
    packages: tuple[tuple[str, ...], ...] = ()  # each child's package ids (``matcher.packages``)
    primary_needs: tuple[str, ...] = ()  # each child's primary need code

    def __len__(self) -> int:
        return len(self.easting)

    def part(self, positions: np.ndarray) -> "Children":
        """The children at ``positions``, in that order: what ``build_children`` lays out for them alone."""
        listed = positions.tolist()
        chosen: dict = {}
        for column in fields(self):
            values = getattr(self, column.name)
            if isinstance(values, np.ndarray):
                chosen[column.name] = values[positions]
            elif isinstance(values, tuple):
                chosen[column.name] = tuple(map(values.__getitem__, listed)) if values else ()
        return replace(self, **chosen)

    def without_records(self) -> "Children":
        """The arrays alone, without each child's record (``children``), which only explanations read: what a table
        keeps to evaluate its children again, a national cohort's records being a third of a GiB."""
        return replace(self, children=())


@dataclass(frozen=True, eq=False)
class Evaluation:
    """Pairs of a child (position in ``children``) and a provider (row of ``index``), with all that was found."""

    children: Children
    index: ProviderIndex
    child: np.ndarray
    provider: np.ndarray
    reason_code: np.ndarray  # index into matcher.rules.REASONS; 0 is a candidate
    travel: TravelEstimate
    cap_minutes: np.ndarray
    vacancies: np.ndarray  # for the child's need where reported, else the total
    placement_cost_gbp: np.ndarray
    transport_cost_gbp: np.ndarray
    band_gbp: np.ndarray  # value for money's band: a package's price band + the journey, else the council's band
    price_band: np.ndarray | None = None  # True where band_gbp is a national price band (a package was given)

    @property
    def is_candidate(self) -> np.ndarray:
        return self.reason_code == 0

    @property
    def travel_minutes(self) -> np.ndarray:
        return self.travel.minutes

    @property
    def distance_km(self) -> np.ndarray:
        return self.travel.km

    @property
    def whole_cost_gbp(self) -> np.ndarray:
        return self.placement_cost_gbp + self.transport_cost_gbp
