"""The HTTP API (FastAPI), versioned under ``/v1``: health, providers, children, shortlists.

Routes stay thin over ``scenarios`` and ``matcher``. Bad input is 422 with field paths and messages and never
the values sent; bodies over ``MAX_BODY_BYTES`` are 413; nothing is half-written (one transaction a request).
"""

import json
import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import pandas as pd
import yaml
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from starlette.middleware.base import BaseHTTPMiddleware

from api import jobs
from api.auth import CHILD_ROLES, ROLES, Principal, require
from api.idempotency import Idempotency
from api.limits import RateLimit
from api.schemas import ShortlistRequest, VacancyUpdate
from api.store import AuditEvent, ChildRecord, Job, VacancyReport, make_engine, sessions
from geodata.errors import PlacewiseError
from matcher.child import Child
from matcher.shortlist import build_shortlister
from matcher.vacancies import apply_vacancies
from scenarios.cohort import parse_cohort_csv
from scenarios.inputs import load_inputs, locate_child
from scenarios.schema import parse_scenario

MAX_BODY_BYTES = 1_000_000
MAX_PAGE = 500
DEFAULT_PER_MINUTE = 600
JOBS_PER_CALLER = 3  # queued or running at once, for each caller (a council's commissioning team or planner)
AnyRole = Annotated[Principal, Depends(require(*ROLES))]
ChildRole = Annotated[Principal, Depends(require(*CHILD_ROLES))]
VacancyRole = Annotated[Principal, Depends(require("commissioner", "admin"))]
ScenarioRole = Annotated[Principal, Depends(require("commissioner", "planner", "admin"))]


class BodyLimit(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):  # type: ignore[no-untyped-def]
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            return JSONResponse({"detail": f"the body is over {MAX_BODY_BYTES:,} bytes"}, status_code=413)
        return await call_next(request)


def create_app(database_url: str | None = None, data_dir: Path | None = None,
               requests_per_minute: int | None = None) -> FastAPI:
    """The application on a store (default: PLACEWISE_DATABASE_URL or SQLite) and a register (default: demo);
    each caller may make ``requests_per_minute`` (default PLACEWISE_REQUESTS_PER_MINUTE, else 600)."""
    app = FastAPI(title="Placewise", version="1", docs_url="/v1/docs", openapi_url="/v1/openapi.json")
    app.add_middleware(Idempotency)
    limit = requests_per_minute or int(os.environ.get("PLACEWISE_REQUESTS_PER_MINUTE", DEFAULT_PER_MINUTE))
    app.add_middleware(RateLimit, per_minute=limit)
    app.add_middleware(BodyLimit)
    engine = make_engine(database_url)
    app.state.engine, app.state.sessions = engine, sessions(engine)
    app.state.inputs = load_inputs(data_dir)
    with app.state.sessions() as session:
        reports = session.scalars(select(VacancyReport).order_by(VacancyReport.id)).all()
    _use_vacancies(app, [(report.provider_id, report.need, report.vacancies) for report in reports])
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(PlacewiseError, _bad_input)  # type: ignore[arg-type]
    _routes(app)
    return app


async def _validation_error(_request: Request, error: RequestValidationError) -> JSONResponse:
    problems = [{"field": ".".join(str(part) for part in item["loc"] if part != "body"), "message": item["msg"]}
                for item in error.errors()]
    return JSONResponse({"detail": problems}, status_code=422)


async def _bad_input(_request: Request, error: PlacewiseError) -> JSONResponse:
    return JSONResponse({"detail": [{"field": "", "message": str(error)}]}, status_code=422)


def _audit(request: Request, caller: Principal, action: str, object_type: str, object_id: str | None,
           council: str | None, reason: str | None = None) -> None:
    with request.app.state.sessions.begin() as session:
        session.add(AuditEvent(actor=caller.name, council=council, action=action, object_type=object_type,
                               object_id=object_id, reason=reason))


def _use_vacancies(app: FastAPI, reports: list[tuple[int, str, int]]) -> None:
    """Apply vacancy reports (the latest per provider and need) and lay the register out again for shortlists."""
    inputs = app.state.inputs
    if reports:
        frame = pd.DataFrame(reports, columns=["provider_id", "need", "vacancies"])
        frame = frame.drop_duplicates(["provider_id", "need"], keep="last")
        frame = frame[frame["provider_id"].isin(inputs.providers.index)]
        inputs = replace(inputs, providers=apply_vacancies(inputs.providers, frame))
    app.state.inputs = inputs
    app.state.shortlister = build_shortlister(inputs.providers, costs=inputs.costs)


@contextmanager
def _child_session(request: Request, caller: Principal) -> Iterator[Session]:
    """A transaction on the children table; on PostgreSQL, row-level security sees the caller's councils only."""
    with request.app.state.sessions.begin() as session:
        if session.get_bind().dialect.name == "postgresql":
            councils = "*" if caller.role == "admin" else ",".join(caller.councils)
            session.execute(text("SELECT set_config('placewise.councils', :councils, true)"), {"councils": councils})
        yield session


def _scenario_document(body: bytes, content_type: str) -> dict:
    """A scenario body as a mapping: JSON, or safe YAML without aliases (no tags, no alias bombs)."""
    try:
        text_body = body.decode("utf-8")
        if "yaml" in content_type:
            if any(isinstance(token, yaml.AliasToken) for token in yaml.scan(text_body)):
                raise HTTPException(422, "YAML aliases are not accepted; write the scenario out in full")
            document = yaml.safe_load(text_body)
        else:
            document = json.loads(text_body)
    except (UnicodeDecodeError, ValueError, yaml.YAMLError):
        raise HTTPException(422, "the body is not a UTF-8 JSON or YAML scenario") from None
    if not isinstance(document, dict):
        raise HTTPException(422, "a scenario is a mapping (name, councils, cohort, ...)")
    return document


def _own_job(request: Request, caller: Principal, job_id: str) -> Job:
    with request.app.state.sessions() as session:
        job = session.get(Job, job_id[:36])
    if job is None or not (caller.role == "admin" or job.submitted_by == caller.name or (
            caller.role == "commissioner" and all(caller.may_see(council) for council in job.councils))):
        raise HTTPException(404, "no such scenario job")
    return job


def _store_child(session: Session, child: Child, advice: str, where: str = "") -> None:
    """Add a child to its council's records; 409 (the transaction then rolls back) where the id is held."""
    clash = session.scalar(select(ChildRecord.id).where(ChildRecord.council == child.home_council,
                                                        ChildRecord.child_id == child.child_id))
    if clash is not None:
        raise HTTPException(409, f"{where}child_id: already held for this council; {advice}")
    session.add(ChildRecord(council=child.home_council, child_id=child.child_id, record=child.model_dump(mode="json")))


def _own_child(request: Request, caller: Principal, child_id: str) -> ChildRecord:
    """The caller's council's child of that id, or 404 (also when another council holds one)."""
    with _child_session(request, caller) as session:
        found = session.scalars(select(ChildRecord).where(ChildRecord.child_id == child_id)).all()
    for record in found:
        if caller.may_see(record.council):
            return record
    raise HTTPException(404, "no such child")


def _routes(app: FastAPI) -> None:
    @app.get("/v1/health", tags=["service"])
    def health() -> dict:
        return {"status": "ok"}

    @app.get("/v1/ready", tags=["service"])
    def ready(request: Request) -> JSONResponse:
        try:
            with request.app.state.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any failure of the store means not ready
            return JSONResponse({"status": "store unavailable"}, status_code=503)
        return JSONResponse({"status": "ready", "providers": len(request.app.state.inputs.providers)})

    @app.get("/v1/providers", tags=["providers"])
    def providers(request: Request, caller: AnyRole,
                  council: str | None = Query(None, max_length=9), kind: str | None = Query(None, max_length=40),
                  limit: int = Query(100, ge=1, le=MAX_PAGE), offset: int = Query(0, ge=0)) -> list[dict]:
        table = request.app.state.inputs.providers
        if council:
            table = table[table["host_council"] == council]
        if kind:
            table = table[table["kind"] == kind]
        return [_provider_json(provider_id, row) for provider_id, row in table.iloc[offset:offset + limit].iterrows()]

    @app.get("/v1/providers/{provider_id}", tags=["providers"])
    def provider(provider_id: int, request: Request, caller: AnyRole) -> dict:
        table = request.app.state.inputs.providers
        if provider_id not in table.index:
            raise HTTPException(404, "no such provider")
        return _provider_json(provider_id, table.loc[provider_id])

    @app.put("/v1/providers/{provider_id}/vacancies", tags=["providers"])
    def update_vacancies(provider_id: int, update: VacancyUpdate, request: Request, caller: VacancyRole) -> dict:
        table = request.app.state.inputs.providers
        if provider_id not in table.index:
            raise HTTPException(404, "no such provider")
        if not caller.may_see(str(table.at[provider_id, "host_council"])):
            raise HTTPException(403, "you may only report vacancies for providers your councils host")
        reports = [(provider_id, "ALL", update.vacancies), *((provider_id, str(need), count)
                                                             for need, count in update.by_need.items())]
        with request.app.state.sessions.begin() as session:
            session.add_all(VacancyReport(provider_id=p, need=n, vacancies=v, reported_by=caller.name)
                            for p, n, v in reports)
        with request.app.state.sessions() as session:
            stored = session.scalars(select(VacancyReport).order_by(VacancyReport.id)).all()
        _use_vacancies(request.app, [(report.provider_id, report.need, report.vacancies) for report in stored])
        _audit(request, caller, "update", "vacancies", str(provider_id), str(table.at[provider_id, "host_council"]))
        return _provider_json(provider_id, request.app.state.inputs.providers.loc[provider_id])

    @app.post("/v1/children", status_code=201, tags=["children"])
    def create_child(child: Child, request: Request, caller: ChildRole) -> dict:
        if not caller.may_see(child.home_council):
            raise HTTPException(403, "home_council: you may only add children of your own council")
        with _child_session(request, caller) as session:
            _store_child(session, child, "use PUT to change it")
        _audit(request, caller, "create", "child", child.child_id, child.home_council)
        return {"child_id": child.child_id, "home_council": child.home_council}

    @app.post("/v1/children/import", status_code=201, tags=["children"])
    async def import_children(request: Request, caller: ChildRole) -> dict:
        """Children as CSV (UTF-8, a header row, one child a row): all are stored, or none."""
        try:
            text = (await request.body()).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise HTTPException(422, "the body is not UTF-8 text; send the CSV as UTF-8") from None
        children = [Child.model_validate(record) for record in parse_cohort_csv(text, "children CSV")]
        outside = [number for number, child in enumerate(children, start=2) if not caller.may_see(child.home_council)]
        if outside:
            raise HTTPException(403, f"row {outside[0]}: home_council: you may only add children of your own "
                                     f"council ({len(outside)} rows); nothing was stored")
        with _child_session(request, caller) as session:
            for number, child in enumerate(children, start=2):
                _store_child(session, child, "nothing was stored", f"row {number}: ")
        _audit(request, caller, "import", "child", None, None, f"{len(children)} records")
        return {"imported": len(children)}

    @app.get("/v1/children", tags=["children"])
    def list_children(request: Request, caller: ChildRole,
                      limit: int = Query(100, ge=1, le=MAX_PAGE), offset: int = Query(0, ge=0)) -> list[dict]:
        with _child_session(request, caller) as session:
            query = select(ChildRecord).order_by(ChildRecord.id)
            if caller.role != "admin":
                query = query.where(ChildRecord.council.in_(caller.councils))
            rows = session.scalars(query.offset(offset).limit(limit)).all()
        _audit(request, caller, "list", "child", None, None, f"{len(rows)} records")
        return [{"child_id": row.child_id, "home_council": row.council} for row in rows]

    @app.get("/v1/children/{child_id}", tags=["children"])
    def read_child(child_id: str, request: Request, caller: ChildRole) -> dict:
        record = _own_child(request, caller, child_id)
        _audit(request, caller, "read", "child", child_id, record.council)
        return record.record

    @app.put("/v1/children/{child_id}", tags=["children"])
    def update_child(child_id: str, child: Child, request: Request,
                     caller: ChildRole) -> dict:
        record = _own_child(request, caller, child_id)
        if child.child_id != child_id or child.home_council != record.council:
            raise HTTPException(422, "child_id, home_council: must match the stored child")
        with _child_session(request, caller) as session:
            stored = session.get(ChildRecord, record.id)
            assert stored is not None
            stored.record = child.model_dump(mode="json")
        _audit(request, caller, "update", "child", child_id, record.council)
        return {"child_id": child_id, "home_council": record.council}

    @app.delete("/v1/children/{child_id}", status_code=204, tags=["children"])
    def delete_child(child_id: str, request: Request, caller: ChildRole) -> None:
        record = _own_child(request, caller, child_id)
        with _child_session(request, caller) as session:
            stored = session.get(ChildRecord, record.id)
            if stored is not None:
                session.delete(stored)
        _audit(request, caller, "delete", "child", child_id, record.council)

    @app.post("/v1/scenarios", status_code=202, tags=["scenarios"])
    async def submit_scenario(request: Request, caller: ScenarioRole) -> dict:
        """A scenario (JSON, or YAML with ``content-type: application/yaml``) as a job; its id to follow it."""
        document = _scenario_document(await request.body(), request.headers.get("content-type", ""))
        for field in ("base", "roads"):
            if document.get(field) is not None:
                raise HTTPException(422, f"{field}: not accepted through the API; give the whole scenario")
        cohort: dict = document["cohort"] if isinstance(document.get("cohort"), dict) else {}
        plan: dict = document["plan"] if isinstance(document.get("plan"), dict) else {}
        if cohort.get("csv") is not None or plan.get("candidate_sites") is not None:
            raise HTTPException(422, "cohort.csv, plan.candidate_sites: files are not read through the API; use "
                                     "a synthetic cohort")
        document["data"] = "demo" if request.app.state.inputs.data_dir is None else "server"
        scenario = parse_scenario({**document, "data": "demo"}, Path("scenario"))
        outside = [council for council in scenario.councils if not caller.may_see(council)]
        if outside and caller.role != "planner":
            raise HTTPException(403, "councils: the scenario names councils outside your commissioning body")
        with request.app.state.sessions() as session:
            active = session.query(Job).filter(Job.submitted_by == caller.name,
                                               Job.status.in_(("queued", "running"))).count()
        if active >= JOBS_PER_CALLER:
            raise HTTPException(429, f"{active} of your scenario jobs are queued or running; wait for one to end",
                                headers={"Retry-After": "30"})
        job_id = jobs.submit(request.app.state.engine, document, caller.name, list(scenario.councils))
        _audit(request, caller, "submit", "scenario", job_id, None)
        return {"job_id": job_id, "status": "queued"}

    @app.get("/v1/scenarios/{job_id}", tags=["scenarios"])
    def read_scenario(job_id: str, request: Request, caller: ScenarioRole) -> dict:
        job = _own_job(request, caller, job_id)
        return {"job_id": job.id, "status": job.status, "attempts": job.attempts, "error": job.error,
                "result": job.result}

    @app.post("/v1/scenarios/{job_id}/cancel", tags=["scenarios"])
    def cancel_scenario(job_id: str, request: Request, caller: ScenarioRole) -> dict:
        job = _own_job(request, caller, job_id)
        with request.app.state.sessions.begin() as session:
            stored = session.get(Job, job.id)
            assert stored is not None
            if stored.status == "queued":
                stored.status = "cancelled"
            elif stored.status == "running":
                stored.cancel_requested = True
        return {"job_id": job.id, "status": "cancelled" if job.status == "queued" else job.status}

    @app.post("/v1/shortlists", tags=["shortlists"])
    def shortlist(request: Request, body: ShortlistRequest,
                  caller: ChildRole) -> dict:
        if body.child is None:
            assert body.child_id is not None
            child = Child.model_validate(_own_child(request, caller, body.child_id).record)
        else:
            child = body.child
            if not caller.may_see(child.home_council):
                raise HTTPException(403, "home_council: you may only ask for children of your own council")
        located = locate_child(child, request.app.state.inputs)
        answer = request.app.state.shortlister.shortlist(located, body.k).to_dict()
        _audit(request, caller, "shortlist", "child", child.child_id, child.home_council, body.reason)
        finite = _finite(answer)
        assert isinstance(finite, dict)
        return finite


def _provider_json(provider_id: int, row) -> dict:  # type: ignore[no-untyped-def]
    fields = ("name", "kind", "host_council", "age_low", "age_high", "places", "vacancies", "easting", "northing")
    answer = {"provider_id": int(provider_id), "designated_needs": list(row["designated_needs"])}
    for name in fields:
        value = row.get(name)
        answer[name] = None if value is None or (isinstance(value, float) and math.isnan(value)) or str(
            value) in ("<NA>", "nan") else (value if isinstance(value, str) else float(value))
    return answer


def _finite(value: object) -> object:
    """JSON has no NaN or infinity: such numbers become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value

