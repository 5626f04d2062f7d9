"""Maps: the PNG and HTML of a run's sub-region and of one child's shortlist, on the embedded demo."""

import json

import pytest
from typer.testing import CliRunner

from api.cli import app
from core.errors import PlacewiseError
from scenarios.reports.maps import LeafletFiles, MapLayers, run_layers, write_map
from scenarios.run import run_scenario, write_run
from scenarios.schema import load_scenario
from tests.helpers.samples import DEMO_CHILD, write_child

runner = CliRunner()
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def demo_run_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("run")
    scenario = folder / "demo.yaml"
    scenario.write_text("name: Map test\ndata: demo\ncouncils: [E06900001, E06900002, E06900003]\n"
                        "cohort: {synthetic: true}\n")
    write_run(run_scenario(load_scenario(scenario)), folder)
    return folder


def test_a_run_map_shows_its_councils_providers_and_flows(demo_run_folder):
    layers = run_layers(demo_run_folder)
    assert list(layers.councils.index) == ["E06900001", "E06900002", "E06900003"]
    assert layers.flows is not None and (layers.flows["children"] > 0).all()
    crossing = json.loads((demo_run_folder / "kpis.json").read_text())["out_of_area_share"]
    assert (crossing > 0) == (len(layers.flows) > 0)


def test_the_map_command_writes_a_png_and_an_interactive_html(demo_run_folder, tmp_path):
    result = runner.invoke(app, ["map", str(demo_run_folder), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    png = (tmp_path / "map.png").read_bytes()
    assert png.startswith(PNG_SIGNATURE) and len(png) > 20_000
    page = (tmp_path / "map.html").read_text()
    assert "leaflet" in page.lower() and "Northvale special academy 2" in page and "flows of children" in page
    assert "Northvale (demo)" in page  # councils by name
    assert "http://" not in page and "https://" not in page  # no CDN, no tiles: the map works offline
    assert (tmp_path / "leaflet" / "leaflet.js").is_file() and '<script src="leaflet/leaflet.js">' in page


def test_a_shortlist_map_marks_the_home_and_the_listed_settings(tmp_path):
    path = tmp_path / "shortlist.html"
    result = runner.invoke(app, ["shortlist", "--child", write_child(tmp_path, DEMO_CHILD), "-k", "3", "--map",
                                 str(path), "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)["candidates"]
    page = path.read_text()
    assert "child&#x27;s home area" in page or "child's home area" in page
    assert all(f"{row['rank']}. {row['name']}" in page for row in listed)


def test_a_map_file_must_be_png_or_html(demo_run_folder):
    with pytest.raises(PlacewiseError, match="must end in .png or .html"):
        write_map(MapLayers(run_layers(demo_run_folder).councils, run_layers(demo_run_folder).providers, "t"),
                  demo_run_folder / "map.pdf", LeafletFiles("leaflet.js", "leaflet.css"))


def test_a_folder_that_is_not_a_run_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["map", str(tmp_path)])
    assert result.exit_code == 2 and "not a run folder" in result.output
