"""The engine on plain tables: eligibility, costs, scoring and explained shortlists."""

from matcher.child import Child, parse_child
from matcher.costs import CostModel, calibrate_costs, default_costs
from matcher.policy import Policy
from matcher.shortlist import Shortlist, Shortlister, build_shortlister
from matcher.travel import StraightLineTravel, TravelModel

__all__ = ["Child", "CostModel", "Policy", "Shortlist", "Shortlister", "StraightLineTravel", "TravelModel",
           "build_shortlister", "calibrate_costs", "default_costs", "parse_child"]
