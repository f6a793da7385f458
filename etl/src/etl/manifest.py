"""The run manifest: inputs' hashes, counts, parameters and the data version derived from them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cinemateca_common.contract import MANIFEST, SCHEMA_VERSION, Edition
from etl.raw import InputFile

# Bump when the ETL's output for the same inputs changes (a fixed bug, a new rule), so that a
# re-run rebuilds instead of reporting "up to date".
PIPELINE_REVISION = 3  # 3: streaming display copies, Spanish reports


def data_version(
    edition: Edition, inputs: Sequence[InputFile], parameters: Mapping[str, Any]
) -> str:
    """12 hex digits of sha256 over the schema version, the ETL revision, every input's role, name and
    content hash, and the build parameters: any change to one of those gives a new version."""
    payload = {
        "edition": edition,
        "schema_version": SCHEMA_VERSION,
        "pipeline_revision": PIPELINE_REVISION,
        "inputs": sorted((f.role, f.path.name, f.sha256) for f in inputs),
        "parameters": dict(parameters),
    }
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(blob).hexdigest()[:12]


def read(out_dir: Path) -> dict[str, Any] | None:
    """The manifest in ``out_dir``, or None when there is none or it is unreadable."""
    path = out_dir / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write(out_dir: Path, manifest: Mapping[str, Any]) -> Path:
    """Write ``manifest.json`` straight to its path: ``out_dir`` is the staging folder, which the
    pipeline swaps in whole (see :mod:`etl.pipeline`), so no reader ever sees a half-written file."""
    path = out_dir / MANIFEST
    path.write_text(json.dumps(manifest, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    return path
