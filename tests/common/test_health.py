"""The /health contract: each service's body parses as ServiceHealth and serves back unchanged."""

from __future__ import annotations

import json

from cinemateca_common.health import ServiceHealth

QUERY = {
    "status": "ok",
    "service": "query",
    "version": "383892eb75ba+eb78501e65d3",
    "data_versions": {"movies": "383892eb75ba", "streaming": "eb78501e65d3"},
    "rows": {"movies": 4995, "streaming": 22998},
}
RECOMMENDER = {
    "status": "ok",
    "service": "recommender",
    "version": "0c8e0de43a11+46e7cb4b81ba",
    "model_versions": {"movies": "0c8e0de43a11", "streaming": "46e7cb4b81ba"},
    "titles": {"movies": 4995, "streaming": 22998},
}


def test_each_service_body_round_trips_byte_for_byte() -> None:
    for body in (QUERY, RECOMMENDER):
        health = ServiceHealth.model_validate(body)
        assert json.dumps(health.model_dump(exclude_none=True)) == json.dumps(body)


def test_extras_are_all_but_status_and_service_and_unknown_fields_pass_through() -> None:
    health = ServiceHealth.model_validate({**RECOMMENDER, "new": 1})
    assert health.extras() == {
        "version": RECOMMENDER["version"],
        "model_versions": RECOMMENDER["model_versions"],
        "titles": RECOMMENDER["titles"],
        "new": 1,
    }
