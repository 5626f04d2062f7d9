"""Maps of a sub-region: council boundaries, providers by kind, one child's shortlist with travel times, and a
cohort's flows between councils and settings (lines weighted by the number of children).

Two forms from the same tables: a static PNG (geopandas and matplotlib, EPSG:27700) and an interactive HTML map
(folium/Leaflet, WGS84). A child appears only as its coarse home point, never with a name or an address; councils
and settings appear by name.

The interactive map loads Leaflet from where the caller says (``LeafletFiles``: the service's own URLs, or a copy
beside the map's file) and no tiles from anywhere: it draws the councils' boundaries on a plain background, so it
works on a network without the internet.
"""

import html
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from core.errors import PlacewiseError  # noqa: E402
from core.vocabulary import KIND_WORDS  # noqa: E402
from geodata.coords import bng_to_lonlat  # noqa: E402
from geodata.councils import load_council_boundaries  # noqa: E402
from geodata.demo import demo_council_shapes  # noqa: E402

KIND_COLOURS = {
    "special_maintained": "#1f77b4", "special_academy": "#2ca02c", "independent_special": "#d62728",
    "non_maintained_special": "#9467bd", "resourced_provision": "#ff7f0e", "sen_unit": "#8c564b",
    "mainstream": "#7f7f7f", "alternative_provision": "#e377c2", "fe_college": "#bcbd22",
    "specialist_post16": "#17becf", "inclusion_base": "#ff7f0e",
    "existing setting with room": "#7f7f7f", "candidate site": "#bbbbbb", "chosen site": "#d62728",
}


@dataclass(frozen=True, eq=False)
class MapLayers:
    """What a map shows: councils (EPSG:27700, index council), providers (easting, northing, kind, name), and
    optionally a shortlist (provider_id, rank, travel_minutes) from ``home`` (easting, northing), and flows
    (home_council, provider_id, children)."""

    councils: gpd.GeoDataFrame
    providers: pd.DataFrame
    title: str
    home: tuple[float, float] | None = None
    shortlist: pd.DataFrame | None = None
    flows: pd.DataFrame | None = None


@dataclass(frozen=True)
class LeafletFiles:
    """Where an interactive map loads Leaflet from: its script and stylesheet URLs, and (for a map written to a
    folder) the folder of Leaflet's files to copy beside it, so the file works offline."""

    js: str
    css: str
    source: Path | None = None

    @classmethod
    def beside(cls, source: Path) -> "LeafletFiles":
        return cls("leaflet/leaflet.js", "leaflet/leaflet.css", source)


def write_png(layers: MapLayers, path: Path) -> Path:
    """Draw the layers on a static map and save it as a PNG."""
    figure = Figure(figsize=(9, 9))  # not pyplot's: geopandas asks its canvas to draw, and pyplot's would draw it all
    axes = figure.subplots()
    layers.councils.plot(ax=axes, facecolor="#f4f4f0", edgecolor="#555555", linewidth=0.8)
    for council, centre in _centres(layers.councils).items():
        axes.annotate(str(layers.councils.loc[council].get("council_name", council)), (centre.x, centre.y),
                      fontsize=7, ha="center", color="#444444")
    lines = _flow_lines(layers)
    if lines:  # one collection, drawn as the lines one by one were (caps and order alike), without an artist each
        axes.add_collection(LineCollection([[start, end] for start, end, _ in lines], colors="#3b6ea5", alpha=0.45,
                                           linewidths=[0.5 + 6.0 * weight for _, _, weight in lines],
                                           capstyle="projecting", joinstyle="round", zorder=2))
    located = layers.providers.dropna(subset=["easting", "northing"])
    for kind, group in located.groupby("kind"):
        axes.scatter(group["easting"], group["northing"], s=18, color=KIND_COLOURS.get(str(kind), "#000000"),
                     label=str(kind).replace("_", " "), zorder=3, edgecolors="white", linewidths=0.4)
    if layers.home is not None and layers.shortlist is not None:
        for row in _shortlist_rows(layers).itertuples():
            axes.plot([layers.home[0], row.easting], [layers.home[1], row.northing], color="#222222", linewidth=1,
                      zorder=4)
            axes.annotate(f"{row.rank}: {row.travel_minutes:.0f} min", (row.easting, row.northing), fontsize=8,
                          xytext=(4, 4), textcoords="offset points", zorder=5)
        axes.scatter([layers.home[0]], [layers.home[1]], marker="*", s=220, color="#000000", zorder=6,
                     label="child's home area")
    axes.set_title(layers.title)
    axes.set_axis_off()
    axes.legend(loc="lower left", fontsize=7, frameon=True)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    return path


def write_html(layers: MapLayers, path: Path, leaflet: LeafletFiles) -> Path:
    """Write the layers as an interactive Leaflet map: one HTML file, with Leaflet's files copied beside it where
    ``leaflet`` has a source folder."""
    if leaflet.source is not None:
        if not (leaflet.source / "leaflet.js").is_file():
            raise PlacewiseError(f"{leaflet.source}: Leaflet's files are not installed; run make demo (npm ci)")
        shutil.copytree(leaflet.source, path.parent / "leaflet", dirs_exist_ok=True)
    path.write_text(html_map(layers, leaflet), encoding="utf-8")
    return path


def html_map(layers: MapLayers, leaflet: LeafletFiles) -> str:
    """The layers as an interactive Leaflet map's HTML page: councils by name on a plain background (no tiles),
    settings by name and kind, flows of children and a shortlist's journeys."""
    import folium  # only for an interactive map: a run's report draws the PNG alone

    councils = layers.councils.to_crs("EPSG:4326")
    bounds = councils.total_bounds
    fmap = folium.Map(location=[(bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2], zoom_start=9,
                      tiles=None, control_scale=True)
    fmap.default_js, fmap.default_css = [("leaflet", leaflet.js)], [("leaflet_css", leaflet.css)]
    fmap.get_root().header.add_child(folium.Element(f"<title>{html.escape(layers.title)}</title>"))  # type: ignore[attr-defined]
    fmap.fit_bounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]])
    named = councils.reset_index()
    if "council_name" not in named:
        named["council_name"] = named["council"]
    folium.GeoJson(named[["council", "council_name", "geometry"]], name="councils",
                   style_function=lambda _: {"fillColor": "#f4f4f0", "color": "#505a5f", "weight": 1.5,
                                             "fillOpacity": 0.4},
                   tooltip=folium.GeoJsonTooltip(fields=["council_name"], labels=False)).add_to(fmap)
    flows = folium.FeatureGroup(name="flows of children")
    for start, end, weight in _flow_lines(layers):
        points = list(zip(*bng_to_lonlat(np.array([start[0], end[0]]), np.array([start[1], end[1]])), strict=True))
        folium.PolyLine([(lat, lon) for lon, lat in points], weight=1 + 8 * weight, opacity=0.5,
                        color="#3b6ea5").add_to(flows)
    flows.add_to(fmap)
    located = layers.providers.dropna(subset=["easting", "northing"])
    longitude, latitude = bng_to_lonlat(located["easting"].to_numpy(), located["northing"].to_numpy())
    settings = folium.FeatureGroup(name="settings")
    for (_, row), lon, lat in zip(located.iterrows(), longitude, latitude, strict=True):
        folium.CircleMarker([lat, lon], radius=5, color=KIND_COLOURS.get(str(row["kind"]), "#000000"), fill=True,
                            tooltip=f"{row['name']}: {KIND_WORDS.get(str(row['kind']), str(row['kind']))}",
                            ).add_to(settings)
    settings.add_to(fmap)
    if layers.home is not None and layers.shortlist is not None:
        home_lon, home_lat = bng_to_lonlat(np.array([layers.home[0]]), np.array([layers.home[1]]))
        shortlist = folium.FeatureGroup(name="shortlist")
        folium.CircleMarker([home_lat[0], home_lon[0]], radius=9, color="#0b0c0c", fill=True, fill_opacity=1,
                            tooltip="child's home area").add_to(shortlist)
        for row in _shortlist_rows(layers).itertuples():
            lon, lat = bng_to_lonlat(np.array([row.easting]), np.array([row.northing]))
            folium.PolyLine([(home_lat[0], home_lon[0]), (lat[0], lon[0])], color="#0b0c0c", weight=2,
                            tooltip=f"{row.rank}. {row.name}: {row.travel_minutes:.0f} minutes").add_to(shortlist)
        shortlist.add_to(fmap)
    folium.LayerControl().add_to(fmap)
    return fmap.get_root().render().replace("<html>", '<html lang="en-GB">', 1)


def _centres(councils: gpd.GeoDataFrame) -> gpd.GeoSeries:
    return councils.geometry.representative_point()


def _shortlist_rows(layers: MapLayers) -> pd.DataFrame:
    assert layers.shortlist is not None
    places = layers.providers[["easting", "northing", "name"]]
    return layers.shortlist[["provider_id", "rank", "travel_minutes"]].join(places, on="provider_id").dropna(
        subset=["easting"])


def _flow_lines(layers: MapLayers) -> list[tuple[tuple[float, float], tuple[float, float], float]]:
    """(council centre, provider, weight 0..1) for each flow of children between a home council and a setting."""
    if layers.flows is None or layers.flows.empty:
        return []
    centres = _centres(layers.councils)
    flows = layers.flows[layers.flows["home_council"].isin(centres.index)
                         & layers.flows["provider_id"].isin(layers.providers.index)]
    largest = float(flows["children"].max()) if len(flows) else 1.0
    lines = []
    for row in flows.itertuples():
        centre = centres.loc[row.home_council]
        provider = layers.providers.loc[row.provider_id]
        if pd.notna(provider["easting"]):
            lines.append(((centre.x, centre.y), (float(provider["easting"]), float(provider["northing"])),
                          float(row.children) / largest))
    return lines


def sub_region_shapes(data_dir: Path | None, councils: list[str], cache_dir: Path | None = None) -> gpd.GeoDataFrame:
    """The councils' boundaries (EPSG:27700): the real ones from a data folder (kept in ``cache_dir``, where one is
    given), or the demo's squares."""
    shapes = demo_council_shapes() if data_dir is None else load_council_boundaries(data_dir, cache_dir)
    missing = [council for council in councils if council not in shapes.index]
    if missing:
        raise PlacewiseError(f"councils: no boundary for {', '.join(missing)} in the data")
    return shapes.loc[list(councils)]


def run_layers(folder: Path, cache_dir: Path | None = None) -> MapLayers:
    """The map of a run folder written by ``placewise run``: its councils, providers and cross-boundary flows (the
    boundaries kept in ``cache_dir``, where one is given)."""
    try:
        scenario = json.loads((folder / "scenario.json").read_text(encoding="utf-8"))
        providers = pd.read_csv(folder / "providers.csv", index_col="provider_id")
        allocation = pd.read_csv(folder / "allocation.csv", usecols=["home_council", "provider_id", "host_council"])
        name, councils, data_name, base_dir = (scenario[key] for key in ("name", "councils", "data", "base_dir"))
    except (OSError, ValueError, KeyError, TypeError):
        raise PlacewiseError(f"{folder}: not a run folder written by placewise run (scenario.json, providers.csv "
                             "and allocation.csv); run the scenario again") from None
    data = None if data_name == "demo" else Path(data_name)
    if data is not None and not data.is_absolute():
        data = (Path(base_dir) / data).resolve()
    return allocation_layers(data, councils, providers, allocation, f"{name}: settings and cross-boundary flows",
                             cache_dir)


def allocation_layers(data_dir: Path | None, councils: list[str], providers: pd.DataFrame, allocation: pd.DataFrame,
                      title: str, cache_dir: Path | None = None) -> MapLayers:
    """The map of an allocation (``home_council``, ``provider_id``, ``host_council`` a child): the councils, the
    settings and the children crossing council boundaries."""
    placed = allocation.dropna(subset=["provider_id"])
    placed = placed[placed["provider_id"] >= 0]
    crossing = placed[placed["host_council"] != placed["home_council"]]
    flows = crossing.groupby(["home_council", "provider_id"]).size().rename("children").reset_index()
    flows["provider_id"] = flows["provider_id"].astype(int)
    return MapLayers(councils=sub_region_shapes(data_dir, list(councils), cache_dir), providers=providers, title=title,
                     flows=flows)


def shortlist_layers(shortlist: pd.DataFrame, providers: pd.DataFrame, data_dir: Path | None, home_council: str,
                     home: tuple[float, float], child_id: str) -> MapLayers:
    """The map of one child's shortlist: the home council and the councils hosting the listed settings."""
    councils = list(dict.fromkeys([home_council, *shortlist["host_council"].astype(str)]))
    nearby = providers[providers["host_council"].isin(councils)]
    coarse = (round(home[0], -3), round(home[1], -3))  # the home area to the nearest kilometre, never the point
    return MapLayers(councils=sub_region_shapes(data_dir, councils), providers=nearby, home=coarse,
                     shortlist=shortlist, title=f"Shortlist for {child_id}: minutes each way")


def write_map(layers: MapLayers, path: Path, leaflet: LeafletFiles) -> Path:
    """Write a PNG or an HTML map, by the file's suffix."""
    if path.suffix.lower() == ".png":
        return write_png(layers, path)
    if path.suffix.lower() in (".html", ".htm"):
        return write_html(layers, path, leaflet)
    raise PlacewiseError(f"--map: {path.name} must end in .png or .html")
