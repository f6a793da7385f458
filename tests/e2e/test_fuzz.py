"""Property-based fuzzing of the gateway's OpenAPI document (schemathesis) against the running stack."""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.result import Ok

from gateway.routes import ROUTES

if TYPE_CHECKING:
    from tests.e2e.conftest import Stack

pytestmark = pytest.mark.e2e

# Per operation and generation mode (hypothesis skips duplicates and modes without invalid values,
# so fewer run): about 1,200 requests in all.
EXAMPLES = {GenerationMode.POSITIVE: 70, GenerationMode.NEGATIVE: 40}


def test_no_server_error_over_generated_requests(healthy_stack: Stack) -> None:
    schema = schemathesis.openapi.from_url(f"{healthy_stack.url}/openapi.json")
    results = list(schema.get_all_operations())
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(operations) == len(results), "every operation of the document is valid"
    assert len(operations) == len(ROUTES) + 1  # and /health
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    with requests.Session() as session:

        def check(case: Any) -> None:
            response = case.call(base_url=healthy_stack.url, session=session, timeout=30)
            statuses[response.status_code] += 1
            where = f"{case.method} {case.formatted_path} {case.query}"
            if response.status_code >= 500:
                failures.append(f"{where} -> {response.status_code} {response.content[:300]!r}")
            elif response.status_code >= 400:
                content_type = (response.headers.get("content-type") or [""])[0]
                try:
                    body = json.loads(response.content)
                except ValueError:
                    body = None
                if not content_type.startswith("application/json") or "detail" not in (body or {}):
                    failures.append(f"{where} -> {response.status_code} non-JSON error body")

        for operation in operations:
            for mode, examples in EXAMPLES.items():

                @settings(
                    max_examples=examples,
                    deadline=None,
                    database=None,
                    derandomize=True,
                    phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=list(HealthCheck),
                )
                @given(case=operation.as_strategy(generation_mode=mode))
                def run(case: Any) -> None:
                    check(case)

                try:
                    run()
                except Unsatisfiable:
                    # No invalid value exists for this operation (e.g. /health, free-text paths).
                    assert mode is GenerationMode.NEGATIVE, operation.label
    total = sum(statuses.values())
    assert not failures, "\n".join(failures[:20])
    assert total >= 1000, f"only {total} requests: {statuses}"
    print(f"schemathesis: {total} requests, statuses {dict(sorted(statuses.items()))}")
