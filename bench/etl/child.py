"""One timed run in its own process: ``python -m bench.etl.child ours|baseline DATA_DIR OUT_DIR``.

Prints one JSON line on stdout: rows in and out, seconds inside the process, peak RSS (MB), and
for ours the seconds spent writing report.html.
"""

from __future__ import annotations

import json
import logging
import resource
import sys
import time
from pathlib import Path
from typing import Any


def main(argv: list[str]) -> int:
    mode, data_dir, out_dir = argv[0], Path(argv[1]), Path(argv[2])
    started = time.perf_counter()
    report_s = 0.0
    if mode == "ours":
        import etl.report  # noqa: PLC0415
        from etl.config import Settings  # noqa: PLC0415 - imports are part of the timed run
        from etl.pipeline import run_edition  # noqa: PLC0415

        logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="ours: %(message)s")
        write_report = etl.report.write_report

        def timed_report(*args: Any, **kwargs: Any) -> Path:
            # Time the HTML report apart, to show what the transform alone costs.
            nonlocal report_s
            report_started = time.perf_counter()
            path = write_report(*args, **kwargs)
            report_s += time.perf_counter() - report_started
            return path

        etl.report.write_report = timed_report
        result = run_edition(
            "movies", Settings(data_dir=data_dir, processed_dir=out_dir), force=True
        )
        rows_in, rows_out = result.rows_in, result.rows_out
    elif mode == "baseline":
        from bench.etl import baseline  # noqa: PLC0415

        rows_in, rows_out = baseline.run(data_dir / "movies", out_dir / "movies")
    else:
        print(f"unknown mode {mode!r}: expected ours or baseline", file=sys.stderr)
        return 2
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "rows_in": rows_in,
                "rows_out": rows_out,
                "seconds": time.perf_counter() - started,
                "maxrss_mb": peak_kb / 1024,
                "report_s": report_s,
            }
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
