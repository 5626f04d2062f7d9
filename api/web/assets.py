"""The pages' assets, served by the app itself and never from a CDN: GOV.UK Frontend (built from its Sass with a
system font stack, no GDS Transport), htmx, Leaflet (for the folium maps) and Swagger UI (for ``/v1/docs/swagger``).

They come from the npm registry by the project's own set-up: ``make`` runs ``npm ci`` on ``api/web/package.json``
and its lock file into ``api/web/node_modules`` and builds ``api/web/build/placewise.css`` (``npm run build``);
neither folder is committed. The app mounts the folders below; where they are missing it says how to install them.
"""

import logging
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

HERE = Path(__file__).resolve().parent
MODULES = HERE / "node_modules"
BUILD = HERE / "build"
#: URL prefix -> folder served under it.
MOUNTS = {
    "/assets/govuk": MODULES / "govuk-frontend" / "dist" / "govuk",
    "/assets/htmx": MODULES / "htmx.org" / "dist",
    "/assets/leaflet": MODULES / "leaflet" / "dist",
    "/assets/swagger": MODULES / "swagger-ui-dist",
    "/assets/build": BUILD,
    "/assets/site": HERE / "static",
}
LEAFLET_JS, LEAFLET_CSS = "/assets/leaflet/leaflet.js", "/assets/leaflet/leaflet.css"
AXE = MODULES / "axe-core" / "axe.min.js"  # injected by the browser tests; never served
INSTALL = "run `make demo` (or `npm ci --prefix api/web && npm run --prefix api/web build`)"
log = logging.getLogger(__name__)


def leaflet_dir() -> Path:
    """Leaflet's files (leaflet.js, leaflet.css, images/), for maps written to a folder by the command line."""
    return MOUNTS["/assets/leaflet"]


def mount_assets(app: FastAPI) -> None:
    """Serve every asset folder (a missing one answers 404, and the start says how to install it)."""
    missing = [str(folder) for folder in MOUNTS.values() if not folder.is_dir()]
    if missing:
        log.warning("the pages' assets are not installed (%s); %s", ", ".join(missing), INSTALL)
    for prefix, folder in MOUNTS.items():
        app.mount(prefix, StaticFiles(directory=folder, check_dir=False), name=prefix.strip("/").replace("/", "-"))
