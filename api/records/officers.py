"""Officers by name: the real name, job title and delegated authority of a person who considers settings' replies
or decides, kept in the store beside (and distinct from) their pseudonymous sign-in. Letters are signed with them and
the tribunal bundle names them; nobody decides or considers a reply without one."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from api.platform.store.decision_models import Officer
from api.platform.store.engine import sessions
from core.errors import PlacewiseError
from core.vocabulary import FREE_TEXT_PATTERN

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, pattern=FREE_TEXT_PATTERN)]
FIELD_WORDS = {"full_name": "give the officer's full name as it is signed on letters",
               "job_title": "give the officer's job title", "authority": "give the delegated authority under "
               "which the officer decides (the council's scheme of delegation and its paragraph, say)"}


class OfficerDetails(BaseModel):
    """What a letter and the bundle say of an officer."""

    model_config = ConfigDict(extra="forbid")
    full_name: Annotated[Text, StringConstraints(max_length=200)]
    job_title: Annotated[Text, StringConstraints(max_length=200)]
    authority: Annotated[Text, StringConstraints(max_length=500)]


def checked_details(values: dict) -> OfficerDetails:
    """The officer's details, or a ``PlacewiseError`` naming the first missing or bad field (never its value)."""
    try:
        return OfficerDetails.model_validate(values)
    except ValidationError as error:
        field = str(error.errors()[0]["loc"][0]) if error.errors()[0]["loc"] else "full_name"
        raise PlacewiseError(f"{field}: {FIELD_WORDS.get(field, 'check the field')}; nothing was stored",
                             field=field) from None


def set_officer(engine: Engine, username: str, details: OfficerDetails, by: str,
                audited: Callable[[Session], None] | None = None) -> dict:
    """Store (or change) the officer signed in as ``username``, with its audit rows (``audited``) in the same
    transaction where given; the details as stored."""
    if not 0 < len(username) <= 100 or not username.isprintable():
        raise PlacewiseError("username: give the officer's sign-in name (1 to 100 printable characters)",
                             field="username")
    with sessions(engine).begin() as session:
        found = session.scalar(select(Officer).where(Officer.username == username))
        if found is None:
            found = Officer(username=username)
            session.add(found)
        found.full_name, found.job_title, found.authority = details.full_name, details.job_title, details.authority
        found.updated_by, found.updated_at = by[:100], datetime.now(UTC)
        if audited is not None:
            audited(session)
    return officer_json(found)


def officer_json(found: Officer) -> dict:
    return {"username": found.username, "full_name": found.full_name, "job_title": found.job_title,
            "authority": found.authority}


def officers_by_username(engine: Engine, usernames: set[str]) -> dict[str, dict]:
    """The officers of those sign-ins that have their details stored, by username."""
    with sessions(engine)() as session:
        rows = session.scalars(select(Officer).where(Officer.username.in_(sorted(usernames)))).all()
    return {row.username: {key: value for key, value in officer_json(row).items() if key != "username"}
            for row in rows}


def named_officer(engine: Engine, username: str) -> dict:
    """The officer's details, or a ``PlacewiseError`` (field ``officer``) saying how to record them."""
    found = officers_by_username(engine, {username})
    if username not in found:
        raise PlacewiseError("officer: your name, job title and delegated authority are not recorded; an admin "
                             "records them (placewise officers set, or PUT /v1/officers/{username}) before you "
                             "consider replies or decide; nothing was stored", field="officer")
    return found[username]
