"""How the project's refusals answer over HTTP, the one mapping both doors use (the API's JSON handlers and the
pages' error pages): the status of each kind of refusal, a ``Retry-After`` for one that holds for now only, and the
failures of the store itself (503, with the words to say)."""

from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from api.platform.security.audit import AuditUnavailable
from core.errors import Busy, Conflict, Forbidden, NotFound, PlacewiseError, Unauthenticated

#: The HTTP status of each refusal a use case can give; any other ``PlacewiseError`` is bad input, 422.
REFUSAL_STATUS: dict[type[PlacewiseError], int] = {Unauthenticated: 401, NotFound: 404, Forbidden: 403, Conflict: 409,
                                                   Busy: 429}


def status_of(error: PlacewiseError) -> int:
    """The HTTP status a project error answers with (both doors use this one mapping)."""
    return next((status for kind, status in REFUSAL_STATUS.items() if isinstance(error, kind)), 422)


def retry_headers(error: PlacewiseError) -> dict[str, str]:
    """The headers a refusal answers with: ``Retry-After`` where it is for now only (``Busy``), and the scheme to
    sign in with where the credential did not hold (``Unauthenticated``)."""
    if isinstance(error, Busy):
        return {"Retry-After": str(error.retry_after_s)}
    return {"WWW-Authenticate": "Bearer"} if isinstance(error, Unauthenticated) else {}


#: Failures of the store rather than of the request: it could not be reached or could not write (503).
STORE_UNAVAILABLE: tuple[type[Exception], ...] = (AuditUnavailable, OperationalError, PoolTimeout)
STORE_MESSAGE = ("the store could not be reached or could not write (a cut connection, or a full disk), so nothing "
                 "was read or stored; try again in a minute")
RETRY_AFTER_S = 30


def unavailable_message(error: Exception) -> str:
    """What a 503 says: the audit's own words where the audit failed, the store's otherwise."""
    return AuditUnavailable.message if isinstance(error, AuditUnavailable) else STORE_MESSAGE
