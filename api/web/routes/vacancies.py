"""Vacancies: the host council's commissioner reports the places free at a setting, by form or as a CSV of many
settings from a template; each report goes through ``api.records.vacancy_reports`` (the host's check, the store,
the audit) as ``PUT /v1/providers/{id}/vacancies`` does, and every page answers from the register as reported."""

import csv
import io

import pandas as pd
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import UploadFile
from starlette.responses import Response

from api.records.vacancy_reports import report_vacancies
from api.web.downloads import download
from api.web.render import page
from api.web.sessions import Commissioner, Form
from core.errors import Forbidden, NotFound, PlacewiseError
from core.vocabulary import NEEDS

router = APIRouter(include_in_schema=False)
MAX_VACANCIES = 5_000
TEMPLATE_COLUMNS = ["provider_id", "setting", "need", "vacancies"]


def _hosted(request: Request, caller) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    view = request.app.state.register.current()
    providers = view.inputs.providers
    councils = caller.councils if caller.role != "admin" else tuple(view.councils)
    return providers[providers["host_council"].isin(councils)].sort_values("name")


def _page(request: Request, caller, errors: dict, status: int = 200, done: str | None = None) -> Response:  # type: ignore[no-untyped-def]
    hosted = _hosted(request, caller)
    view = request.app.state.register.current()
    rows = [{"id": int(urn), "name": row["name"], "council": view.council_name(str(row["host_council"])),
             "vacancies": row["vacancies"], "source": row.get("vacancies_source")} for urn, row in hosted.iterrows()]
    return page(request, "vacancies.html", status, title="Vacancies", errors=errors, rows=rows[:500], done=done,
                settings=[("", "Choose a setting")] + [(str(row["id"]), row["name"]) for row in rows])


@router.get("/vacancies")
def vacancies_page(request: Request, caller: Commissioner, done: str | None = None) -> Response:
    return _page(request, caller, {}, done={"form": "The vacancies are saved.",
                                           "csv": "The vacancies in the file are saved."}.get(done or ""))


@router.post("/vacancies")
def report(request: Request, caller: Commissioner, form: Form) -> Response:
    setting, count = str(form.get("provider_id", "")), str(form.get("vacancies", "")).strip()
    errors = {}
    if not setting.isdigit():
        errors["provider_id"] = "Choose the setting"
    if not count.isdigit() or int(count) > MAX_VACANCIES:
        errors["vacancies"] = f"Enter the places free as a whole number from 0 to {MAX_VACANCIES:,}"
    if errors:
        return _page(request, caller, errors, 422)
    try:
        report_vacancies(request, caller, request.app.state.register.current(), [(int(setting), "ALL", int(count))])
    except PlacewiseError as refused:
        return _page(request, caller, {"provider_id": "Choose a setting that your councils host"
                                       if isinstance(refused, (Forbidden, NotFound)) else refused.message}, 422)
    return RedirectResponse("/vacancies?done=form", status_code=303)


@router.get("/vacancies/template.csv")
def template(request: Request, caller: Commissioner) -> Response:
    hosted = _hosted(request, caller)
    rows = pd.DataFrame({"provider_id": hosted.index, "setting": hosted["name"].to_numpy(), "need": "ALL",
                         "vacancies": hosted["vacancies"].to_numpy()}, columns=TEMPLATE_COLUMNS)
    return download({"Vacancies": rows}, "vacancies-template", "csv")


def _read_csv(upload: UploadFile) -> tuple[list[tuple[int, str, int]], str | None]:
    body = upload.file.read(1_000_001)
    if len(body) > 1_000_000:
        return [], "The file must be smaller than 1 MB"
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], "The file must be a CSV saved as UTF-8 text; use the template"
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"provider_id", "vacancies"} <= set(reader.fieldnames):
        return [], "The file must be a CSV with the template's columns: provider_id, setting, need, vacancies"
    reports = []
    for number, row in enumerate(reader, start=2):
        urn, count = (row.get("provider_id") or "").strip(), (row.get("vacancies") or "").strip()
        need = (row.get("need") or "ALL").strip().upper() or "ALL"
        if not urn.isdigit():
            return [], f"Row {number}: provider_id must be the setting's URN, a number"
        if need != "ALL" and need not in NEEDS:
            return [], f"Row {number}: need must be ALL or a need code such as ASD"
        if not count.isdigit() or int(count) > MAX_VACANCIES:
            return [], f"Row {number}: vacancies must be a whole number from 0 to {MAX_VACANCIES:,}"
        reports.append((int(urn), need, int(count)))
    return (reports, None) if reports else ([], "The file has no rows of vacancies")


@router.post("/vacancies/upload")
def upload(request: Request, caller: Commissioner, form: Form) -> Response:
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        return _page(request, caller, {"file": "Choose a CSV file of vacancies"}, 422)
    reports, problem = _read_csv(file)
    if problem is not None:
        return _page(request, caller, {"file": problem + "; nothing was saved"}, 422)
    try:
        report_vacancies(request, caller, request.app.state.register.current(), reports)
    except (Forbidden, NotFound):
        return _page(request, caller, {"file": "The file names a setting that your councils do not host; nothing "
                                               "was saved"}, 422)
    return RedirectResponse("/vacancies?done=csv", status_code=303)
