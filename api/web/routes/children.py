"""A caseworker's children: the list of the caller's councils' children, a child's profile, and adding or changing
one (postcode or LSOA, needs, age, preferences). Each read and write goes through ``api.records.child_records``, so
another council's child answers 404 exactly as a missing one, and each is audited as the API's would be."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from starlette.datastructures import FormData
from starlette.responses import Response

from api.platform.parameters import ChildId
from api.platform.security.audit import audit, audit_many
from api.platform.store.models import ChildRecord
from api.records.child_records import child_session, create_child, stored_child, update_child
from api.web.forms import child_record, form_values, parse_child_form
from api.web.preference_names import Preferences, preference_text, resolve_preferences
from api.web.render import page
from api.web.sessions import Caseworker, Form
from core.errors import Conflict, Forbidden, PlacewiseError
from geodata.setting_addresses import load_setting_addresses

router = APIRouter(include_in_schema=False)
PAGE_ROWS = 100


@router.get("/children")
def children_list(request: Request, caller: Caseworker, offset: int = 0) -> Response:
    offset = max(0, min(offset, 10**9))
    with child_session(request, caller) as session:
        query = select(ChildRecord).where(caller.sees(ChildRecord.council)).order_by(ChildRecord.id)
        rows = session.scalars(query.offset(offset).limit(PAGE_ROWS + 1)).all()
    more, rows = len(rows) > PAGE_ROWS, rows[:PAGE_ROWS]
    audit_many(request, caller, "list", "child", [(row.child_id, row.council) for row in rows] or [(None, None)],
               f"{len(rows)} records, offset {offset} (page)")
    view = request.app.state.register.current()
    children = [{"child_id": row.child_id, "council": view.council_name(row.council),
                 "need": row.record.get("primary_need"), "age": row.record.get("age")} for row in rows]
    return page(request, "children_list.html", title="Children", children=children, offset=offset,
                next_offset=offset + PAGE_ROWS if more else None)


def _form_page(request: Request, caller, title: str, action: str, values: dict,  # type: ignore[no-untyped-def]
               errors: dict, editing: bool, status: int = 200, chosen: Preferences | None = None) -> Response:
    """The child's form; after a sending, the preferences resolved so far by name, and any to choose between."""
    view = request.app.state.register.current()
    councils = caller.councils if caller.role != "admin" else tuple(sorted(view.councils))
    if chosen is not None:
        values = {**values, "preferences": preference_text(chosen.resolved, view.inputs.providers)}
    return page(request, "child_form.html", status, title=title, action=action, values=values, errors=errors,
                editing=editing, councils=[(code, view.council_name(code)) for code in councils],
                demo=view.inputs.data_dir is None, postcodes=view.inputs.postcodes is not None,
                choices=chosen.choices if chosen is not None else [])


def _preferences(request: Request, form: FormData) -> Preferences:
    view = request.app.state.register.current()
    return resolve_preferences(form, view.inputs.providers, load_setting_addresses(view.inputs.data_dir),
                               view.council_name)


@router.get("/children/new")
def new_child(request: Request, caller: Caseworker) -> Response:
    values = {"home_council": caller.councils[0] if caller.councils else "", "secondary_needs": []}
    return _form_page(request, caller, "Add a child", "/children/new", values, {}, False)


@router.post("/children/new")
def add_child(request: Request, caller: Caseworker, form: Form) -> Response:
    chosen = _preferences(request, form)
    form = chosen.form
    child, errors = parse_child_form(form)
    if chosen.errors:
        child, errors = None, {**errors, **chosen.errors}
    if child is not None:
        try:
            create_child(request, caller, request.app.state.register.current(), child)
            return RedirectResponse(f"/children/{child.child_id}", status_code=303)
        except PlacewiseError as refused:
            errors = _refusal(refused)
    return _form_page(request, caller, "Add a child", "/children/new", form_values(child_record(form), errors),
                      errors, False, 422, chosen)


def _refusal(refused: Exception) -> dict[str, str]:
    """A refusal by the shared checks as a form error (its words name the field, never the value)."""
    words = str(refused)
    if isinstance(refused, Conflict):
        return {"child_id": "A child with this reference is already held for this council; choose another reference"}
    if isinstance(refused, Forbidden):
        return {"home_council": "You may only add children of the councils you act for"}
    field = words.split(":")[0].strip()
    if field == "home_council":
        return {"home_council": "Choose a council of the register"}
    if field in ("home_postcode", "home_lsoa"):
        return {field: "We could not find this area; check it, or give the LSOA code instead"}
    if field in ("easting/northing", "easting", "northing"):
        return {"easting": "The easting and northing must be a point in England"}
    return {"location": "We could not place the child's home; check the postcode, LSOA or grid reference"}


@router.get("/children/{child_id}")
def child_profile(child_id: ChildId, request: Request, caller: Caseworker) -> Response:
    child = stored_child(request, caller, child_id)
    audit(request, caller, "read", "child", child_id, child.home_council, "profile page")
    view = request.app.state.register.current()
    preferences = [(urn, view.provider_name(urn)) for urn in child.preferences]
    return page(request, "child_profile.html", title=f"Child {child_id}", child=child, preferences=preferences,
                council=view.council_name(child.home_council))


@router.get("/children/{child_id}/edit")
def edit_child(child_id: ChildId, request: Request, caller: Caseworker) -> Response:
    child = stored_child(request, caller, child_id)
    audit(request, caller, "read", "child", child_id, child.home_council, "edit page")
    values = form_values(child.model_dump(mode="json"), {})
    values["preferences"] = preference_text(list(child.preferences), request.app.state.register.current().inputs
                                            .providers)
    return _form_page(request, caller, f"Change child {child_id}", f"/children/{child_id}/edit", values, {}, True)


@router.post("/children/{child_id}/edit")
def change_child(child_id: ChildId, request: Request, caller: Caseworker, form: Form) -> Response:
    stored = stored_child(request, caller, child_id)  # 404 first, for another council's child
    fixed = FormData([*((key, value) for key, value in form.multi_items() if key not in ("child_id", "home_council")),
                      ("child_id", child_id), ("home_council", stored.home_council)])
    chosen = _preferences(request, fixed)
    record = child_record(chosen.form)
    child, errors = parse_child_form(chosen.form)
    if chosen.errors:
        child, errors = None, {**errors, **chosen.errors}
    if child is not None:
        try:
            update_child(request, caller, request.app.state.register.current(), child_id, child)
            return RedirectResponse(f"/children/{child_id}", status_code=303)
        except PlacewiseError as refused:
            errors = _refusal(refused)
    return _form_page(request, caller, f"Change child {child_id}", f"/children/{child_id}/edit",
                      form_values(record, errors), errors, True, 422, chosen)
