"""The shared scenario library of a commissioning body: scenarios saved under a name with a description, listed,
read, run, downloaded and deleted, every step audited a row per council of the body.

A saved scenario belongs to the body that saved it (``body``: the councils its people act for). Only people of the
same body (or an admin) see it; anyone else gets 404, exactly as for a missing one. Only commissioners (and admins)
save, and only whoever saved a scenario (or an admin) deletes it; a colleague of the same body gets 403. A scenario
is checked as a run's is (``scenario_jobs.checked_scenario``, its changes applied to the register) before it is
stored, so a delta naming an unknown URN stores nothing.
"""

import unicodedata
import uuid

from fastapi import Request
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from api.platform.security.audit import audit_many
from api.platform.security.auth import Principal
from api.platform.store.saved_scenarios import SavedScenario, body_key
from api.records.register import RegisterView
from api.records.run_records import check_run_text
from api.records.scenario_jobs import checked_scenario, submit_document
from core.errors import Forbidden, NotFound, PlacewiseError
from scenarios.provider_pool import scenario_providers

MAX_DESCRIPTION = 1_000
SAVERS = ("commissioner", "admin")


def check_description(text: str | None) -> str | None:
    """A saved scenario's description as stored (spaces trimmed; line breaks kept); ``PlacewiseError`` where it is
    longer than 1,000 characters or holds another control character."""
    words = (text or "").strip().replace("\r\n", "\n")
    if len(words) > MAX_DESCRIPTION:
        raise PlacewiseError(f"description: the description must be {MAX_DESCRIPTION:,} characters or fewer (this "
                             f"one has {len(words):,})", field="description", hint="shorten it")
    if any(unicodedata.category(letter).startswith("C") and letter != "\n" for letter in words):
        raise PlacewiseError("description: the description must not hold tabs or other control characters",
                             field="description", hint="type it again without them")
    return words or None


def _sees(caller: Principal, saved: SavedScenario) -> bool:
    return caller.role == "admin" or saved.body == body_key(caller.councils)


def _audit(request: Request, caller: Principal, action: str, saved: list[SavedScenario],
           session: Session | None = None) -> None:
    """A row per saved scenario and council of its body (one a council of the caller's body for an empty list)."""
    objects = [(item.id, council or None) for item in saved for council in item.body.split(",")]
    audit_many(request, caller, action, "saved_scenario",
               objects or [(None, council) for council in (caller.councils or (None,))], session=session)


def saved_scenarios(request: Request, caller: Principal) -> list[SavedScenario]:
    """The caller's body's saved scenarios (every one, for an admin), newest first, audited as a list."""
    query = select(SavedScenario).order_by(SavedScenario.saved_at.desc(), SavedScenario.id)
    if caller.role != "admin":
        query = query.where(SavedScenario.body == body_key(caller.councils))
    with request.app.state.sessions() as session:
        found = list(session.scalars(query).all())
    _audit(request, caller, "list", found)
    return found


def saved_scenario(request: Request, caller: Principal, saved_id: str, action: str = "read") -> SavedScenario:
    """One saved scenario of the caller's body, audited as ``action``; 404 otherwise, as for a missing one."""
    with request.app.state.sessions() as session:
        saved = session.get(SavedScenario, saved_id[:36])
    if saved is None or not _sees(caller, saved):
        raise NotFound("no such saved scenario")
    _audit(request, caller, action, [saved])
    return saved


def save_scenario(request: Request, caller: Principal, view: RegisterView, document: dict, name: str | None,
                  description: str | None) -> str:
    """Check a scenario as a run's is and save it to the caller's body's library under ``name``, audited; its id."""
    if caller.role not in SAVERS:
        raise Forbidden("only a commissioner saves scenarios to the body's library")
    checked_name = check_run_text(name, "name", required=True)
    checked_description = check_description(description)
    document = {**document, "name": checked_name, "description": checked_description or ""}
    scenario = checked_scenario(dict(document), view)
    if not all(caller.may_see(council) for council in scenario.councils):
        raise Forbidden("councils: the scenario names councils you do not act for")
    scenario_providers(scenario, view.inputs)  # a change naming a setting the register does not hold is refused
    saved = SavedScenario(id=str(uuid.uuid4()), body=body_key(caller.councils), name=checked_name,
                          description=checked_description, councils=list(scenario.councils), document=document,
                          saved_by=caller.name)
    with request.app.state.sessions.begin() as session:  # the scenario and its audit rows, together or not at all
        session.add(saved)
        _audit(request, caller, "save", [saved], session)
    return saved.id


def run_saved(request: Request, caller: Principal, saved_id: str) -> str:
    """Queue a saved scenario as a run named as it is saved (audited as a read here and a submit by the job)."""
    saved = saved_scenario(request, caller, saved_id, "run")
    return submit_document(request, caller, request.app.state.settings, request.app.state.register.current(),
                           dict(saved.document), saved.name)


def delete_saved(request: Request, caller: Principal, saved_id: str) -> None:
    """Delete a saved scenario its caller saved (or any, for an admin); 403 for a colleague's, audited."""
    saved = saved_scenario(request, caller, saved_id, "read")
    if caller.role != "admin" and saved.saved_by != caller.name:
        raise Forbidden("only the person who saved it (or an admin) may delete this scenario")
    with request.app.state.sessions.begin() as session:
        session.execute(delete(SavedScenario).where(SavedScenario.id == saved.id))
        _audit(request, caller, "delete", [saved], session)
