"""Finding a setting, for caseworkers, commissioners, planners and decision makers: a search by name, town,
postcode or URN (the GOV.UK search pattern: a form that works without script, whose results htmx swaps in as one
types), and a setting's page: its address, age range, designation, places, Ofsted grade and links to its Ofsted
reports, its DfE school performance page and its Get Information About Schools record. The register is public
data: nothing here reads a child's record."""

from typing import Annotated

import pandas as pd
from fastapi import APIRouter, Depends, Request
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response

from api.platform.security.auth import Principal
from api.web.render import page
from api.web.sessions import page_role
from api.web.setting_search import MAX_RESULTS, search_settings
from core.vocabulary import KIND_WORDS, NEED_WORDS, OFSTED_WORDS
from geodata.setting_addresses import load_setting_addresses

router = APIRouter(include_in_schema=False)
Finder = Annotated[Principal, Depends(page_role("caseworker", "commissioner", "planner", "decision_maker", "admin"))]
MAX_QUERY = 100
MAX_SUGGESTIONS = 8
OFSTED_REPORTS = "https://reports.ofsted.gov.uk/search?q={urn}"
SCHOOL_PERFORMANCE = "https://www.find-school-performance-data.service.gov.uk/school/{urn}"
GIAS = "https://get-information-schools.service.gov.uk/Establishments/Establishment/Details/{urn}"


def _rows(request: Request, query: str) -> list[dict]:
    view = request.app.state.register.current()
    found = search_settings(view.inputs.providers, load_setting_addresses(view.inputs.data_dir), query)
    return [{"id": int(urn), "name": row["name"], "kind": KIND_WORDS.get(row["kind"], row["kind"]),
             "council": view.council_name(row["host_council"]), "town": row["town"], "postcode": row["postcode"],
             "ages": _ages(row)} for urn, row in found.iterrows()]


def _ages(row: pd.Series) -> str:
    if pd.isna(row["age_low"]) or pd.isna(row["age_high"]):
        return "not published"
    return f"{int(row['age_low'])} to {int(row['age_high'])}"


@router.get("/find-a-setting")
def find(request: Request, caller: Finder, q: str = "") -> Response:
    query = q.strip()[:MAX_QUERY]
    errors = {"q": "Enter at most 100 characters"} if len(q.strip()) > MAX_QUERY else {}
    rows = _rows(request, query) if query and not errors else []
    template = "_finder_results.html" if request.headers.get("HX-Request") == "true" else "finder.html"
    return page(request, template, 422 if errors else 200, title="Find a setting", query=query, rows=rows,
                errors=errors, most=MAX_RESULTS,
                addresses=request.app.state.register.current().inputs.data_dir is not None)


@router.get("/find-a-setting/suggestions")
def suggestions(request: Request, caller: Finder, q: str = "") -> Response:
    """The settings matching what is typed (two characters or more), best first, for the suggestions of a field that
    chooses settings: JSON, each with its URN, name (without commas, which separate a field's items) and place."""
    query = q.strip()[:MAX_QUERY]
    rows = _rows(request, query)[:MAX_SUGGESTIONS] if len(query) >= 2 else []
    return JSONResponse([{"urn": row["id"], "name": str(row["name"]).replace(",", " "),
                          "place": row["town"] or row["council"]} for row in rows],
                        headers={"Cache-Control": "no-store"})


@router.get("/find-a-setting/{provider_id}")
def setting(provider_id: str, request: Request, caller: Finder) -> Response:
    view = request.app.state.register.current()
    providers = view.inputs.providers
    if not provider_id.isdigit() or int(provider_id) not in providers.index:
        raise HTTPException(404, "no such setting")
    urn = int(provider_id)
    row = providers.loc[urn]
    addresses = load_setting_addresses(view.inputs.data_dir)
    address = addresses.loc[urn] if urn in addresses.index else None
    lines = [line for line in (address[["street", "locality", "address3", "town", "postcode"]].tolist()
                               if address is not None else []) if line]
    designated = row["designated_needs"] if isinstance(row["designated_needs"], tuple | list) else ()
    needs = [NEED_WORDS.get(str(need), str(need)) for need in designated]
    ofsted = row["ofsted"]
    return page(request, "setting.html", title=str(row["name"]), setting={
        "id": urn, "name": row["name"], "kind": KIND_WORDS.get(row["kind"], row["kind"]),
        "council": view.council_name(row["host_council"]), "address": lines,
        "ages": _ages(row), "gender": str(row["gender"]),
        "residential": row["residential"] is True or str(row["residential"]) == "True", "needs": needs,
        "ofsted": None if pd.isna(ofsted) else OFSTED_WORDS.get(int(ofsted)),
        "places": None if pd.isna(row["places"]) else int(row["places"]), "places_source": row["places_source"],
        "vacancies": None if pd.isna(row["vacancies"]) else int(row["vacancies"]),
        "vacancies_source": row["vacancies_source"], "demo": view.inputs.data_dir is None,
        "ofsted_link": OFSTED_REPORTS.format(urn=urn), "performance_link": SCHOOL_PERFORMANCE.format(urn=urn),
        "gias_link": GIAS.format(urn=urn)})
