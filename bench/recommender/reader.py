"""The ratings read, run as a child so its time and peak RSS are its own.

``python -m bench.recommender.reader ENGINE RATINGS LINKS CATALOGUE_IDS.npy CHUNK_ROWS`` reads the
ratings with ``recommender.ratings.read_ratings`` (``ENGINE`` pyarrow or pandas) and prints one JSON
line: seconds, the counts, the matrix shape and size, ``ru_maxrss``, and the shape of the data
(ratings per user and per title) as the matrix sees it.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import Literal, cast

import numpy as np

from recommender.ratings import read_ratings


def main() -> None:
    engine = cast(Literal["pandas", "pyarrow"], sys.argv[1])
    ratings, links = Path(sys.argv[2]), Path(sys.argv[3])
    catalogue = np.load(sys.argv[4])
    chunk_rows = int(sys.argv[5])
    started = time.perf_counter()
    result = read_ratings(ratings, links, catalogue, chunk_rows, engine=engine)
    seconds = time.perf_counter() - started
    matrix = result.matrix
    per_user = np.diff(matrix.indptr)
    per_item = np.sort(np.bincount(matrix.indices, minlength=matrix.shape[1]))[::-1]
    rated = per_item[per_item > 0]
    print(
        json.dumps(
            {
                "engine": engine,
                "seconds": seconds,
                "rows_read": result.rows_read,
                "unmapped": result.unmapped,
                "duplicates": result.duplicates,
                "kept": result.kept,
                "users": int(matrix.shape[0]),
                "items": int(matrix.shape[1]),
                "matrix_mb": (matrix.data.nbytes + matrix.indices.nbytes + matrix.indptr.nbytes)
                / 2**20,
                "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "user_median": float(np.median(per_user)),
                "user_max": int(per_user.max()),
                "item_max": int(per_item[0]),
                "item_median_rated": float(np.median(rated)),
                "items_rated": len(rated),
                "top_decile_share": float(per_item[: len(per_item) // 10].sum() / matrix.nnz),
                "mean_rating": float(matrix.data.mean()),
            }
        )
    )


if __name__ == "__main__":
    main()
