"""Data, models and servers of the gateway benchmarks: data and models built once into bench/.cache."""

from __future__ import annotations

from pathlib import Path

from bench.catalogue import CACHE_DIR, default_raw_data_dir
from cinemateca_common.contract import EDITIONS
from tests.support.servers import UvicornServer

CACHE = CACHE_DIR / "gateway"


def build_data() -> tuple[Path, Path]:
    """ETL output and models of the real shared data in bench/.cache (rebuilt only when stale)."""
    from etl.config import Settings as EtlSettings  # noqa: PLC0415  (heavy: only when building)
    from etl.pipeline import run_edition  # noqa: PLC0415
    from recommender.config import Settings as RecommenderSettings  # noqa: PLC0415
    from recommender.train import train_edition  # noqa: PLC0415

    data_dir = default_raw_data_dir()
    processed, models = CACHE / "processed", CACHE / "models"
    # Both steps skip the work when their inputs and parameters are unchanged.
    print(f"ETL of {data_dir} into {processed}, training into {models} ...", flush=True)
    for edition in EDITIONS:
        run_edition(edition, EtlSettings(data_dir=data_dir, processed_dir=processed))
        train_edition(edition, RecommenderSettings(processed_dir=processed, model_dir=models))
    return processed, models


def fast_server(name: str, factory: str, env: dict[str, str]) -> UvicornServer:
    """uvloop + httptools and quiet logs: the server under load, not its logging, is measured.
    Its log in bench/.cache starts empty (UvicornServer appends)."""
    (CACHE / f"{name}.log").unlink(missing_ok=True)
    fast = ("--loop", "uvloop", "--http", "httptools", "--log-level", "warning")
    return UvicornServer(name, factory, env, CACHE, extra_args=fast)
