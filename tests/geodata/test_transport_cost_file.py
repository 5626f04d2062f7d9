"""A transport-cost file: costs by council and mode read as a table, and every bad row named at once."""

import numpy as np
import pytest

from core.errors import PlacewiseError
from geodata.user_files import load_transport_cost_file

COUNCILS = frozenset({"E06900001", "E06900002"})


def test_rows_become_councils_by_modes_with_the_national_row(tmp_path):
    path = tmp_path / "transport.csv"
    path.write_text("council,mode,annual_cost_gbp\nnational,single_occupancy,\"£21,000\"\n"
                    "E06900001,independent_travel_training,1500\nE06900001,shared_route,7000\n")
    table = load_transport_cost_file(path, COUNCILS)
    assert table.loc["national", "single_occupancy"] == 21_000.0
    assert table.loc["E06900001", "independent_travel_training"] == 1_500.0
    assert np.isnan(table.loc["national", "shared_route"])


def test_unknown_councils_and_modes_and_bad_costs_are_named_by_row(tmp_path):
    path = tmp_path / "transport.csv"
    path.write_text("council,mode,annual_cost_gbp\nE06999999,shared_route,7000\nE06900001,helicopter,9000\n"
                    "E06900002,shared_route,-3\nE06900002,single_occupancy,abc\nE06900001,personal_budget,10\n"
                    "E06900001,personal_budget,12\n")
    with pytest.raises(PlacewiseError) as raised:
        load_transport_cost_file(path, COUNCILS)
    message = str(raised.value)
    assert "row(s) 2: council is not a council of the data" in message
    assert "row(s) 3: mode must be one of shared_route, single_occupancy, personal_budget, " \
           "independent_travel_training" in message
    assert "row(s) 4, 5: annual_cost_gbp must be a number of pounds above zero" in message
    assert "row(s) 6, 7: the same council and mode appear twice" in message


def test_a_file_without_its_columns_says_which(tmp_path):
    path = tmp_path / "transport.csv"
    path.write_text("council,cost\nE06900001,5\n")
    with pytest.raises(PlacewiseError, match="mode"):
        load_transport_cost_file(path, COUNCILS)
