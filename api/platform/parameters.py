"""The parameters both doors take in a path or a query, checked as FastAPI reads them: a child's pseudonymous id,
paging, and the purpose and case a child's record is read for (for the audit)."""

from typing import Annotated

from fastapi import Path, Query

from api.platform.security.audit import CASE_REFERENCE_PATTERN, Purpose
from core.vocabulary import CHILD_ID_PATTERN

MAX_PAGE = 500  # rows a list answers at most; page on with offset
MAX_OFFSET = 10**9
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Rows at most")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip")]
ChildId = Annotated[str, Path(pattern=CHILD_ID_PATTERN, description="The child's pseudonymous id")]
PurposeQuery = Annotated[Purpose | None, Query(description="Why the child's record is read (for the audit)")]
CaseQuery = Annotated[str | None, Query(pattern=CASE_REFERENCE_PATTERN, description="The case it is read for")]
