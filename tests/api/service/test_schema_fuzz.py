"""Schemathesis runs every operation of the OpenAPI schema (100 cases each) with all its default checks.

Two checks are widened by one status each. ``positive_data_acceptance`` also accepts 422: JSON Schema cannot say
everything the service checks (that an LSOA exists, that a point lies in England, that a CSV's rows or a
scenario's councils are right), so a request the schema allows may still be refused with a clear 422.
``negative_data_rejection`` also counts 413 as a refusal: an over-long body is refused for its size before its
content is read. Every other check holds as shipped: no 5xx, only documented status codes, answers that match
their schemas, content types and headers as declared.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from api.app import create_app
from api.platform.security.keys import create_key
from api.settings import Settings

DEMO_COUNCILS = ["E06900001", "E06900002", "E06900003"]
CONFIG = schemathesis.config.SchemathesisConfig.from_dict({"checks": {
    "positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "429", "422"]},
    "negative_data_rejection": {"expected-statuses": ["400", "401", "403", "404", "405", "406", "409", "413", "415",
                                                      "422", "428", "429"]}}})
schema = schemathesis.openapi.from_asgi("/v1/openapi.json", create_app(Settings(database_url="sqlite://")),
                                        config=CONFIG)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}",
                               requests_per_minute=1_000_000))
    return app, create_key(app.state.engine, "fuzzer", "admin", DEMO_COUNCILS)


@schema.parametrize()
@settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_every_operation_holds_to_its_schema(case, served):
    app, key = served
    case.call_and_validate(app=app, headers={"Authorization": f"Bearer {key}"})


def test_stateful_sequences_follow_links_from_create_to_read(served):
    """Schemathesis walks the OpenAPI links (a child created, then read, changed, deleted; a job submitted, then
    read, its results asked for, cancelled), so these operations get real ids, with every default check."""
    app, key = served

    class Walk(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case):
            return {"app": app, "headers": {"Authorization": f"Bearer {key}"}}

    Walk.run(settings=settings(max_examples=60, stateful_step_count=6, deadline=None, derandomize=True,
                               suppress_health_check=list(HealthCheck)))
