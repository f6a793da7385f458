"""What building one edition produced: its tables and what happened on the way (one type, both editions)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa


@dataclass
class Build:
    """The built tables by output file name (the edition's main table first) and the run's counts.

    ``extra`` holds the manifest entries only one edition has (streaming's ``rows_by_platform``).
    """

    tables: dict[str, pa.Table]
    rows_in: int
    rejected: Counter[str] = field(default_factory=Counter)
    fixes: Counter[str] = field(default_factory=Counter)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rows_out(self) -> int:
        """Rows of the main table: the edition's published rows."""
        return int(next(iter(self.tables.values())).num_rows)
