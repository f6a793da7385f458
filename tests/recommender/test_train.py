"""Training step: artifact contents, versioning, up-to-date re-runs and the CLI's errors."""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow.parquet as pq
import pytest

from cinemateca_common.contract import data_version
from recommender import collaborative, features, train
from recommender.config import Settings
from recommender.train import main, train_edition


@pytest.fixture(autouse=True)
def _drop_cli_log_handlers() -> Iterator[None]:
    """``main`` installs a stdout handler; pytest swaps stdout per test, so remove it afterwards."""
    root = logging.getLogger()
    before = list(root.handlers)
    yield
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)


def test_artifact_holds_arrays_titles_and_metadata(model_dir: Path, processed_dir: Path) -> None:
    folder = model_dir / "movies"
    meta = json.loads((folder / "metadata.json").read_text())
    n = meta["n_titles"]
    assert n == pq.read_metadata(processed_dir / "movies" / "movies.parquet").num_rows
    assert meta["k"] == 50
    assert meta["data_version"] == data_version(processed_dir, "movies")
    assert meta["parameters"]["weights"]["collection"] > 1
    assert meta["components"][-1] == "prior"
    assert np.load(folder / "neighbors.npy", mmap_mode="r").shape == (n, 50)
    assert np.load(folder / "neighbors.npy", mmap_mode="r").dtype == np.int32
    assert np.load(folder / "scores.npy", mmap_mode="r").dtype == np.float32
    components = np.load(folder / "components.npy", mmap_mode="r")
    assert components.shape == (n, 50, len(meta["components"]))
    titles = json.loads((folder / "titles.json").read_text())
    assert set(titles) == {"id", "title", "year", "popularity", "folded"}
    vocab = json.loads((folder / "names.json").read_text())
    assert set(vocab) >= {"genres", "directors", "cast", "collection"}
    assert len(titles["id"]) == n


def test_rerun_with_same_data_does_no_work(
    model_dir: Path, processed_dir: Path, raw_data_dir: Path
) -> None:
    settings = Settings(processed_dir=processed_dir, model_dir=model_dir, data_dir=raw_data_dir)
    before = (model_dir / "movies" / "neighbors.npy").stat().st_mtime_ns
    result = train_edition("movies", settings)
    assert result.built is False
    assert (model_dir / "movies" / "neighbors.npy").stat().st_mtime_ns == before
    meta = json.loads((model_dir / "movies" / "metadata.json").read_text())
    assert result.model_version == meta["model_version"]


def test_new_parameters_give_a_new_version(
    processed_dir: Path, model_dir: Path, tmp_path: Path
) -> None:
    shutil.copytree(model_dir / "movies", tmp_path / "movies")
    old = json.loads((tmp_path / "movies" / "metadata.json").read_text())["model_version"]
    result = train_edition(
        "movies",
        Settings(processed_dir=processed_dir, model_dir=tmp_path, neighbors=20, data_dir=None),
    )
    assert result.built is True
    assert result.model_version != old
    meta = json.loads((tmp_path / "movies" / "metadata.json").read_text())
    assert meta["signal"] == "content only (no ratings)"  # no DATA_DIR: content alone, and says so
    assert meta["collaborative"] is None
    assert np.load(tmp_path / "movies" / "neighbors.npy").shape == (result.n_titles, 20)
    assert not (tmp_path / "movies.new").exists()
    assert not (tmp_path / "movies.old").exists()


def test_artifact_metrics_meet_the_targets_on_the_test_users(model_dir: Path) -> None:
    metrics = json.loads((model_dir / "movies" / "metadata.json").read_text())["metrics"]
    assert metrics["ground_truth"].startswith("ratings_small.csv.gz: test users (20%")
    assert metrics["hit_at_5"] >= 0.77
    assert metrics["tail_hit_at_5"] >= 0.42
    assert metrics["max_share"] <= 0.02
    assert metrics["category_agreement"] >= 0.95
    assert metrics["collection_recall_at_5"] >= 0.95
    assert 100 <= metrics["users"] <= 120  # 20% of the 536 users with a like


@pytest.mark.parametrize("edition", ["movies", "streaming"])
def test_served_lists_share_genres_and_no_title_dominates(model_dir: Path, edition: str) -> None:
    """Every catalogue title queried once: no title in over 2% of the top-5 lists."""
    meta = json.loads((model_dir / edition / "metadata.json").read_text())
    top5 = np.load(model_dir / edition / "neighbors.npy")[:, :5]
    counts = np.bincount(top5[top5 >= 0], minlength=len(top5))
    assert counts.max() / len(top5) <= 0.02
    assert meta["signal"] == (
        "content + collaborative" if edition == "movies" else "content only (no ratings)"
    )
    if edition == "streaming":
        assert meta["metrics"]["category_agreement"] >= 0.95
        assert meta["metrics"]["max_share"] <= 0.02


def test_test_users_never_reach_training(
    processed_dir: Path, raw_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The collaborative signal of the reported figures is fitted on the training users only."""
    catalogue = features.load_catalogue(processed_dir, "movies")
    files = collaborative.source_files(raw_data_dir, "movies")
    likes = collaborative.likes_of(files, "movies", catalogue.ids)
    assert likes is not None
    test = collaborative.split_users(likes.user_ids)
    fitted: list[npt.NDArray[np.int64]] = []
    original = collaborative.ItemSignal.__init__

    def spy(self: collaborative.ItemSignal, likes: collaborative.Likes, *args: Any) -> None:
        fitted.append(likes.user_ids)
        original(self, likes, *args)

    monkeypatch.setattr(collaborative.ItemSignal, "__init__", spy)
    metrics, served = train.split_and_served(
        catalogue, features.MOVIE_BLEND, likes, k=50, block_rows=1000
    )
    # Two fits: the one the figures come from (training users only), then the served one (everyone).
    assert len(fitted) == 2
    assert not set(fitted[0].tolist()) & set(likes.user_ids[test].tolist())
    assert len(fitted[0]) == (~test).sum()
    assert len(fitted[1]) == len(likes.user_ids)
    assert metrics.users == len(likes.subset(test).positives())
    assert served.indices.shape == (len(catalogue), 50)


def test_cli_missing_processed_data_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["movies", "--processed-dir", str(tmp_path), "--model-dir", str(tmp_path / "m")])
    assert code == 2
    err = capsys.readouterr().err
    assert (
        err
        == f"train: error: {tmp_path}/movies/manifest.json not found: run `uv run etl movies` first\n"
    )


def test_cli_trains_and_summarises(
    processed_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["movies", "--processed-dir", str(processed_dir), "--model-dir", str(tmp_path)]
    assert main([*args, "--neighbors", "10"]) == 0
    summary = capsys.readouterr().out.splitlines()[-1]
    assert summary.startswith("movies: built, model ")
    assert main([*args, "--neighbors", "10"]) == 0
    summary = capsys.readouterr().out.splitlines()[-1]
    assert summary.startswith("movies: up to date, model ")


def test_cli_rejects_a_bad_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["movies", "--neighbors", "0", "--processed-dir", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith("train: error: neighbors: ")
    with pytest.raises(SystemExit) as exc:
        main(["films"])
    assert exc.value.code == 2


def test_cli_unwritable_model_dir_is_one_clear_line(
    processed_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "models"
    blocker.write_text("not a folder")
    args = ["movies", "--processed-dir", str(processed_dir), "--model-dir", str(blocker)]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"train: error: cannot write {blocker}")
    assert err.count("\n") == 1
