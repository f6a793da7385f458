"""Reading a Prometheus scrape in tests: samples by name and labels, and every label value seen."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families


class Scrape:
    """One ``/metrics`` answer, parsed with prometheus-client's own parser."""

    def __init__(self, text: str) -> None:
        self.samples = [
            (sample.name, dict(sample.labels), sample.value)
            for family in text_string_to_metric_families(text)
            for sample in family.samples
        ]

    def value(self, name: str, **labels: str) -> float:
        """The value of the one sample ``name`` whose labels include ``labels`` (0 when none)."""
        found = [
            value
            for sample, have, value in self.samples
            if sample == name and labels.items() <= have.items()
        ]
        assert len(found) <= 1, (name, labels, found)
        return found[0] if found else 0.0

    def labels(self, name: str) -> list[dict[str, str]]:
        return [have for sample, have, _ in self.samples if sample == name]

    def label_values(self) -> set[str]:
        return {value for _, have, _ in self.samples for value in have.values()}
