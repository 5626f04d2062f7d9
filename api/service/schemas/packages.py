"""A package list request: a child profile (with its packages) or a stored child's id, and the purpose."""

from api.service.schemas.shortlists import ShortlistRequest


class PackageListRequest(ShortlistRequest):
    """A child profile, or the id of a stored child of the caller's council (its record names its packages); how
    many settings the shortlist beside the list ranks; the purpose (a code) and the case (a fixed shape): the
    shortlist request's fields and checks."""
