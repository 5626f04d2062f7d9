"""``placewise travel``: a table of journeys from origins to destinations, for transport teams and for checks."""

from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import DataOption, clear_errors, errors, settings


def travel(
    origins: Annotated[Path, typer.Option("--from", help="CSV: origin_id, with lsoa or easting,northing "
                                          "(EPSG:27700).")],
    destinations: Annotated[Path, typer.Option("--to", help="CSV: destination_id, with provider_id (a URN) or "
                                               "easting,northing.")],
    out: Annotated[Path, typer.Option("--out", help="Write the journeys to this CSV.")],
    cap_minutes: Annotated[float | None, typer.Option("--cap-minutes", help="Keep only the journeys whose "
                                                      "estimate is within this many minutes.")] = None,
    data: DataOption = None,
    roads: Annotated[Path | None, typer.Option("--roads", help="An OpenStreetMap extract (.osm.pbf): road travel "
                                               "times where it covers both ends.")] = None,
) -> None:
    """Write origin_id, destination_id, travel_minutes, low_minutes, high_minutes, distance_km and model: the same
    travel model as a shortlist and a run (the data folder from --data, else the data setting, else the demo), and
    one line naming the corrections it used."""
    with clear_errors():
        from scenarios.inputs import load_inputs, road_travel
        from scenarios.travel_table import read_destinations, read_origins, travel_table, write_travel_table

        data = data if data is not None else settings().data
        inputs = load_inputs(data, cache_dir=settings().cache)
        from_points, to_points = read_origins(origins, inputs), read_destinations(destinations, inputs)
        model = inputs.travel
        if roads is not None:
            model = road_travel(roads, inputs.travel, settings().cache)
        table = travel_table(from_points, to_points, model, cap_minutes)
        errors.print(f"Wrote {len(table):,} journeys ({len(from_points):,} origins, {len(to_points):,} "
                     f"destinations; {model.name}) to {write_travel_table(table, out)}")
        errors.print(f"Corrections: {model.corrections}", highlight=False, soft_wrap=True)
