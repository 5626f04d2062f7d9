"""The project's errors, shared by every layer above: bad input that knows its field, row and hint, and the
refusals a use case can give (not signed in, not found, forbidden, conflict, busy). Each door maps them to its own
answer in one place (the API's handlers to HTTP status codes and JSON, the pages' to error pages, the command line to
one line)."""


class PlacewiseError(ValueError):
    """Bad input: the message names the offending file, row, column or field and says how to fix it.

    ``field`` is the *expected* field's name (never a name or value the caller sent), ``row`` the row's number
    where the input is a table, ``hint`` how to fix it. The message never echoes a child's values.
    """

    def __init__(self, message: str, *, field: str | None = None, row: int | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.row = row
        self.hint = hint

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""

    def detail(self) -> dict[str, object]:
        """The error as one problem of a 422 answer: its field (or ``""``), row where given, message and hint."""
        found: dict[str, object] = {"field": self.field or "", "message": self.message}
        if self.row is not None:
            found["row"] = self.row
        if self.hint:
            found["hint"] = self.hint
        return found


class TimeLimitReached(PlacewiseError):
    """A run's time limit (which covers the whole run) ran out before it had any answer to give: give it more
    time. Once a solve has begun, the limit ends it with its best solution and a status instead."""


class Unauthenticated(PlacewiseError):
    """No credential, or one that does not hold (missing, unknown, expired or revoked: never which)."""


class NotFound(PlacewiseError):
    """The object asked for does not exist, or the caller may not know that it does (another council's)."""


class Forbidden(PlacewiseError):
    """The caller is known but may not do this."""


class Conflict(PlacewiseError):
    """The request cannot be done in the object's present state (already decided, locked, past its deadline)."""


class Busy(PlacewiseError):
    """The request is refused for now, not for good (too much already queued): it may be sent again after
    ``retry_after_s`` seconds."""

    def __init__(self, message: str, *, retry_after_s: int, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_after_s = retry_after_s
