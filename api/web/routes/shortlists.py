"""A child's shortlist: the page a caseworker works from (settings by name, the five criteria in words, travel with
its band and how it was estimated, the whole cost, the parents' preferences, why not for named and near settings,
a map), a printable page for the family in plain English, and downloads (CSV, Excel). Every one is a shortlist of
``api.records.shortlisting``: the same council checks and an audit row with its purpose, as ``POST /v1/shortlists``.
"""

import re
from typing import get_args

import pandas as pd
from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from api.platform.parameters import ChildId
from api.platform.security.audit import CASE_REFERENCE_PATTERN, Purpose
from api.records.child_records import stored_child
from api.records.shortlisting import ChildShortlist, shortlist_child
from api.web.assets import LEAFLET_CSS, LEAFLET_JS
from api.web.downloads import download
from api.web.family_words import where_places_come_from
from api.web.render import page
from api.web.sessions import Caseworker
from matcher.criteria import CRITERIA
from matcher.shortlist import MAX_K
from scenarios.reports.maps import LeafletFiles, html_map, shortlist_layers

router = APIRouter(include_in_schema=False)
PURPOSES = {"placement_search": "Finding a placement", "assessment": "A needs assessment",
            "annual_review": "An annual review", "tribunal": "A tribunal", "audit": "An audit"}
assert set(PURPOSES) == set(get_args(Purpose))
CRITERION_WORDS = {"suitability": "Suits the child's needs", "availability": "Places free",
                   "travel": "Travel", "performance": "Quality", "value_for_money": "Whole cost a year"}
assert set(CRITERION_WORDS) == set(CRITERIA)


def _asked(purpose: str | None, case_reference: str | None, k: str | None) -> tuple[dict, dict[str, str]]:
    """The shortlist asked for (purpose, case reference, length), or what is wrong with it."""
    errors = {}
    if purpose not in PURPOSES:
        errors["purpose"] = "Choose why you are looking for settings"
    reference = (case_reference or "").strip().upper() or None
    if reference is not None and not re.fullmatch(CASE_REFERENCE_PATTERN, reference):
        errors["case_reference"] = "Enter a case reference of up to 20 capital letters, numbers and hyphens"
    length = int(k) if k and k.isdigit() else 10
    if not 1 <= length <= MAX_K:
        errors["k"] = f"Enter how many settings to list, from 1 to {MAX_K}"
    return {"purpose": purpose, "case_reference": reference, "k": length}, errors


def _shortlist(request: Request, caller, child_id: str, asked: dict, what: str) -> ChildShortlist:  # type: ignore[no-untyped-def]
    return shortlist_child(request, caller, request.app.state.register.current(), None, child_id, asked["k"],
                           asked["purpose"], asked["case_reference"], what)


def _query(asked: dict) -> str:
    parts = [f"purpose={asked['purpose']}", f"k={asked['k']}"]
    if asked["case_reference"]:
        parts.append(f"case_reference={asked['case_reference']}")
    return "&".join(parts)


def shaped(request: Request, result: ChildShortlist) -> dict:
    """The shortlist with names for codes and each criterion's sentence under its words."""
    view = request.app.state.register.current()
    answer = result.shortlist.to_dict()
    for row in answer["candidates"]:
        row["council"] = view.council_name(row["host_council"])
        row["criteria"] = list(zip(CRITERION_WORDS.values(), row["reasons"], strict=False))
    for wish in answer["preferences"]:
        wish.setdefault("name", f"Setting {wish['provider_id']}")
        if "best_alternative_id" in wish:
            wish["best_alternative"] = view.provider_name(wish["best_alternative_id"])
    listed = {row["provider_id"] for row in answer["candidates"]}
    answer["wishes_outside"] = [wish for wish in answer["preferences"] if wish["provider_id"] not in listed]
    answer["council"] = view.council_name(result.child.home_council)
    return answer


@router.get("/children/{child_id}/shortlist")
def shortlist_page(child_id: ChildId, request: Request, caller: Caseworker, purpose: str | None = None,
                   case_reference: str | None = None, k: str | None = None) -> Response:
    if purpose is None and case_reference is None:
        stored_child(request, caller, child_id)  # 404 for another council's child, as for a missing one
        return page(request, "shortlist_ask.html", title="Why are you looking?", child_id=child_id, errors={},
                    values={"k": 10}, purposes=list(PURPOSES.items()))
    asked, errors = _asked(purpose, case_reference, k)
    if errors:
        stored_child(request, caller, child_id)
        return page(request, "shortlist_ask.html", 422, title="Why are you looking?", child_id=child_id,
                    errors=errors, values={"k": 10}, purposes=list(PURPOSES.items()))
    result = _shortlist(request, caller, child_id, asked, "shortlist page")
    return page(request, "shortlist.html", title=f"Settings for child {child_id}", child=result.child,
                result=shaped(request, result), query=_query(asked), purpose=PURPOSES[asked["purpose"]])


@router.get("/children/{child_id}/shortlist/family")
def family_page(child_id: ChildId, request: Request, caller: Caseworker, purpose: str | None = None,
                case_reference: str | None = None, k: str | None = None) -> Response:
    asked, errors = _asked(purpose, case_reference, k)
    if errors:
        return _back_to_ask(request, caller, child_id)
    result = _shortlist(request, caller, child_id, asked, "family page")
    answer = shaped(request, result)
    for row in answer["candidates"]:
        row["where_places"] = where_places_come_from(row["reasons"][1])
    return page(request, "family.html", title="Schools and settings that could meet your child's needs",
                child=result.child, result=answer, contacts=request.app.state.contacts.get(result.child.home_council))


@router.get("/children/{child_id}/shortlist/map")
def shortlist_map(child_id: ChildId, request: Request, caller: Caseworker, purpose: str | None = None,
                  case_reference: str | None = None, k: str | None = None) -> Response:
    asked, errors = _asked(purpose, case_reference, k)
    if errors:
        return _back_to_ask(request, caller, child_id)
    result = _shortlist(request, caller, child_id, asked, "map")
    view = request.app.state.register.current()
    child = result.child
    assert child.easting is not None and child.northing is not None
    layers = shortlist_layers(result.shortlist.candidates_frame(), view.inputs.providers, view.inputs.data_dir,
                              child.home_council, (child.easting, child.northing), child.child_id)
    return HTMLResponse(html_map(layers, LeafletFiles(LEAFLET_JS, LEAFLET_CSS)))


@router.get("/children/{child_id}/shortlist.{form}")
def shortlist_download(child_id: ChildId, form: str, request: Request, caller: Caseworker,
                       purpose: str | None = None, case_reference: str | None = None, k: str | None = None
                       ) -> Response:
    asked, errors = _asked(purpose, case_reference, k)
    if errors or form not in ("csv", "xlsx"):
        return _back_to_ask(request, caller, child_id)
    result = shaped(request, _shortlist(request, caller, child_id, asked, f"export {form}"))
    settings = pd.DataFrame([{
        "rank": row["rank"], "setting": row["name"], "URN": row["provider_id"], "kind": row["kind"].replace("_", " "),
        "council": row["council"], "minutes each way": row["travel_minutes"], "at least": row["low_minutes"],
        "at most": row["high_minutes"], "how estimated": row["travel_method"],
        "placement £ a year": row["placement_cost_gbp"], "transport £ a year": row["transport_cost_gbp"],
        "whole cost £ a year": row["annual_cost_gbp"], "total score": row["total_score"],
        **{words: sentence for words, sentence in row["criteria"]}} for row in result["candidates"]])
    near = pd.DataFrame([{"setting": row["name"], "URN": row["provider_id"], "why not": row["explanation"],
                          "minutes each way": row["travel_minutes"]} for row in result["exclusions"]])
    wishes = pd.DataFrame([{"setting": wish.get("name"), "URN": wish["provider_id"], "check": wish["message"]}
                           for wish in result["preferences"]], columns=["setting", "URN", "check"])
    return download({"Shortlist": settings, "Not listed, and why": near, "Parents' preferences": wishes},
                    f"shortlist-{child_id}", form)


def _back_to_ask(request: Request, caller, child_id: str) -> Response:  # type: ignore[no-untyped-def]
    stored_child(request, caller, child_id)
    return page(request, "shortlist_ask.html", 422, title="Why are you looking?", child_id=child_id,
                errors={"purpose": "Choose why you are looking for settings"}, values={"k": 10},
                purposes=list(PURPOSES.items()))
