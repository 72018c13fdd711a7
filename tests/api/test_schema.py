"""Schemathesis against the app's own OpenAPI schema: generated requests, valid and not,
never get a 5xx, and every response matches what the schema documents."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from api.app import create_app
from qa.service import QAService
from qa.settings import Settings
from tests.helpers import SEEDS

EXAMPLES = 60  # per operation: bounded, so CI stays quick
# Server errors and conformance of every response to the schema. Not "positive data
# acceptance": a request can fit the schema and still be refused for what it means (an
# article with no text after cleaning, a question over the configured length), with a
# documented 4xx.
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory, embed_model):  # type: ignore[no-untyped-def]
    # Its own store: generated requests add and delete documents.
    config = Settings(
        store_dir=tmp_path_factory.mktemp("schema") / "store", max_document_bytes=20_000
    )
    service = QAService(config, embed_model)
    service.ingest([SEEDS / "000_8ae4ba73e080a6d3.txt"], progress=False)
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(service=service))


def test_the_api_keeps_to_its_schema_and_never_fails(api_schema) -> None:  # type: ignore[no-untyped-def]
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(checks=CHECKS)

        check()
