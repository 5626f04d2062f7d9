"""A council's SEN2 return stored as its children: the one use case the API's ``POST /v1/cohorts/sen2`` and the
commissioner's page share (the council check, the key, the reader's limits, all or none, the audit)."""

from fastapi import Request

from api.platform.security.audit import audit_many
from api.platform.security.auth import Principal
from api.records.child_records import checked_children, child_session, store_children
from api.records.register import RegisterView
from api.settings import Settings
from core.errors import Forbidden, PlacewiseError
from geodata.sen2_return import read_return
from scenarios.cohort import children_from_frame
from scenarios.sen2_cohort import checks_register, import_return, pseudonym_key

#: The paths a return is posted to, which take bodies up to the ``max_return_mb`` setting (others: 1 MB).
SEN2_PATHS = ("/v1/cohorts/sen2", "/cohorts/sen2")


def import_sen2_return(request: Request, caller: Principal, settings: Settings, view: RegisterView, body: bytes,
                       council: str, skip_invalid: bool) -> dict:
    """Store the council's children from its return (403 for a council the caller does not act for; 409 where a
    child is held already), audited a row per child; the import's figures and the persons left out."""
    if not caller.may_see(council):
        raise Forbidden("council: you may only import your own council's return")
    key = pseudonym_key(settings.pseudonym_key.get_secret_value() if settings.pseudonym_key else None)
    sen2 = read_return(body, "return", int(settings.max_return_mb * 1e6))
    inputs = view.inputs
    found = import_return(sen2, council, checks_register(inputs.data_dir, inputs.providers), inputs.postcodes, key,
                          skip_invalid)
    if found.cohort.empty:
        raise PlacewiseError("return: no child with an active plan in a specialist place of the register; nothing "
                             "was stored", field="return")
    children = checked_children(children_from_frame(found.cohort.set_index("child_id")), view)
    with child_session(request, caller) as session:
        store_children(session, children, "the return was imported before; nothing was stored")
    audit_many(request, caller, "import", "child", [(child.child_id, child.home_council) for child in children],
               f"one of {len(children)} children imported from an SEN2 return")
    return {**found.summary(), "skipped": found.skipped.to_dict("records")}
