"""A commissioner imports the council's SEN2 person-level return: a file upload, checked and stored as the
council's children through ``api.records.sen2_imports`` (as ``POST /v1/cohorts/sen2`` does), then what was
imported, what was left out and why (by position and item, never a child's values)."""

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.responses import Response

from api.platform.refusals import status_of
from api.records.sen2_imports import import_sen2_return
from api.web.render import page
from api.web.sessions import Commissioner, Form
from core.errors import PlacewiseError

router = APIRouter(include_in_schema=False)


def _councils(request: Request, caller) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    view = request.app.state.register.current()
    codes = sorted(view.councils) if caller.role == "admin" else list(caller.councils)
    return [("", "Choose a council")] + [(code, view.council_name(code)) for code in codes]


def _form(request: Request, caller, errors: dict, status: int = 200) -> Response:  # type: ignore[no-untyped-def]
    return page(request, "cohort_import.html", status, title="Import an SEN2 return", errors=errors,
                councils=_councils(request, caller), result=None)


@router.get("/cohorts/sen2")
def import_page(request: Request, caller: Commissioner) -> Response:
    return _form(request, caller, {})


@router.post("/cohorts/sen2")
def import_return(request: Request, caller: Commissioner, form: Form) -> Response:
    council, file = str(form.get("council", "")), form.get("file")
    errors = {}
    if council not in {code for code, _ in _councils(request, caller) if code}:
        errors["council"] = "Choose the council whose return this is"
    if not isinstance(file, UploadFile) or not file.filename:
        errors["file"] = "Choose the SEN2 person-level return (an XML file)"
    if errors:
        return _form(request, caller, errors, 422)
    assert isinstance(file, UploadFile)
    settings = request.app.state.settings
    body = file.file.read(int(settings.max_return_mb * 1e6) + 1)
    try:
        result = import_sen2_return(request, caller, settings, request.app.state.register.current(), body, council,
                                    form.get("skip_invalid") == "yes")
    except PlacewiseError as error:  # bad rows (422), or councils the caller does not act for (403)
        return _form(request, caller, {"file": f"{error.message[:600]}"}, status_of(error))
    view = request.app.state.register.current()
    return page(request, "cohort_import.html", 201, title="SEN2 return imported", errors={}, result=result,
                council_name=view.council_name(council), councils=_councils(request, caller))
