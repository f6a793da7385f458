"""The on-disk model artifact of one edition: file names, metadata and loading (numpy and json only).

Layout of ``MODEL_DIR/<edition>/``::

    neighbors.npy   int32   [n, K]     row i: indices of the K titles most similar to title i (-1 = none)
    scores.npy      float32 [n, K]     final score of each neighbor (weighted block cosines + prior)
    components.npy  float16 [n, K, B]  what each score is made of: one weighted term per block
    titles.json     the title index: id, title, year, popularity, folded title
    names.json      per block, its vocabulary (genre, person, company, ... names)
    names.npz-like  per block ``names.<block>.indptr.npy`` int32 [n+1] and ``names.<block>.codes.npy``
                    int32: title i's names are ``vocab[codes[indptr[i]:indptr[i+1]]]`` (CSR layout,
                    memory-mapped: no Python object per name, so the service stays small)
    metadata.json   model version, data version, parameters, weights, metrics, build time, n, K
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from cinemateca_common.contract import Edition, require

NEIGHBORS: Final = "neighbors.npy"
SCORES: Final = "scores.npy"
COMPONENTS: Final = "components.npy"
TITLES: Final = "titles.json"
NAMES: Final = "names.json"
METADATA: Final = "metadata.json"
FILES: Final = (NEIGHBORS, SCORES, COMPONENTS, TITLES, NAMES, METADATA)

# Bumped whenever the way an artifact is computed changes, so the model version changes too.
CODE_VERSION: Final = "3"


def edition_dir(model_dir: Path, edition: Edition) -> Path:
    """Folder of one edition's artifact."""
    return model_dir / edition


def encode_names(
    rows: list[list[str]],
) -> tuple[list[str], npt.NDArray[np.int32], npt.NDArray[np.int32]]:
    """Vocabulary, row pointers and codes of per-title name lists (order within a row kept)."""
    vocab: dict[str, int] = {}
    codes = [vocab.setdefault(v, len(vocab)) for row in rows for v in row]
    indptr = np.zeros(len(rows) + 1, dtype=np.int32)
    np.cumsum([len(row) for row in rows], out=indptr[1:])
    return list(vocab), indptr, np.asarray(codes, dtype=np.int32)


def read_metadata(model_dir: Path, edition: Edition) -> dict[str, Any] | None:
    """The artifact's metadata, or None when there is no complete artifact."""
    path = edition_dir(model_dir, edition) / METADATA
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def names_files(block: str) -> tuple[str, str]:
    """File names of one block's CSR name arrays (indptr, codes)."""
    return f"names.{block}.indptr.npy", f"names.{block}.codes.npy"


@dataclass(frozen=True)
class Names:
    """One block's names per title in CSR layout: vocabulary, row pointers and codes."""

    vocab: list[str]
    indptr: npt.NDArray[np.int32]
    codes: npt.NDArray[np.int32]

    def codes_of(self, index: int) -> npt.NDArray[np.int32]:
        return self.codes[self.indptr[index] : self.indptr[index + 1]]


@dataclass(frozen=True)
class Artifact:
    """A loaded artifact; the arrays are memory-mapped, read-only."""

    edition: Edition
    neighbors: npt.NDArray[np.int32]
    scores: npt.NDArray[np.float32]
    components: npt.NDArray[np.float16]
    titles: dict[str, Any]
    names: dict[str, Names]
    metadata: dict[str, Any]

    @property
    def version(self) -> str:
        return str(self.metadata["model_version"])


def load(model_dir: Path, edition: Edition) -> Artifact:
    """Load one edition's artifact (arrays memory-mapped); StepNotRunError if a file is absent."""
    folder = edition_dir(model_dir, edition)
    command = f"uv run train {edition}"
    for name in FILES:
        require(folder / name, command, "model artifact file ")
    metadata = json.loads((folder / METADATA).read_text(encoding="utf-8"))
    titles = json.loads((folder / TITLES).read_text(encoding="utf-8"))
    vocabularies: dict[str, list[str]] = json.loads((folder / NAMES).read_text(encoding="utf-8"))
    names: dict[str, Names] = {}
    for block, vocab in vocabularies.items():
        indptr_file, codes_file = names_files(block)
        for name in (indptr_file, codes_file):
            require(folder / name, command, "model artifact file ")
        names[block] = Names(
            vocab=vocab,
            indptr=np.load(folder / indptr_file, mmap_mode="r"),
            codes=np.load(folder / codes_file, mmap_mode="r"),
        )
    return Artifact(
        edition=edition,
        neighbors=np.load(folder / NEIGHBORS, mmap_mode="r"),
        scores=np.load(folder / SCORES, mmap_mode="r"),
        components=np.load(folder / COMPONENTS, mmap_mode="r"),
        titles=titles,
        names=names,
        metadata=metadata,
    )
