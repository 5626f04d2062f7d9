"""A run reads each published file once: the folder's world keeps what it read, so the register, SEN2, the s251
outturn, the lookups, the boundaries and the travel matrix are each read a single time however many loaders ask."""

from pathlib import Path

from geodata.world import forget, world
from scenarios.run import run_scenario
from scenarios.schema import load_scenario

NORTH_EAST = Path(__file__).resolve().parents[2] / "scenarios" / "library" / "north-east.yaml"


def test_a_run_reads_each_published_file_once(data_dir):
    scenario = load_scenario(NORTH_EAST)
    folder = scenario.data_dir()
    assert folder is not None and folder.resolve() == data_dir.resolve()
    forget(folder)
    run = run_scenario(scenario)
    reads = world(folder).reads
    assert run.kpis["placed"] > 0
    assert {"sen2/ehcp_2025/caseload.csv", "sen2/ehcp_2025/sen_needs_all_plans.csv",
            "gias/School_Characteristics_with_Coordinates.csv", "lookups/dfe_la_code_to_ons_ctyua23.csv",
            "finance/s251_outturn_202324_high_needs_and_sen_transport_by_la.csv",
            "boundaries/ctyua_2023_bsc.geojson"} <= set(reads)
    assert {path: count for path, count in reads.items() if count != 1} == {}
