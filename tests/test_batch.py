"""The runner: discovery, shards, failures, resume, config guard, Dask."""
import json
import re

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.batch import discover, make_shards
from pipeline.cli import app
from pipeline.tables import schema_hash

from conftest import ARTICLE, HELSINKI

runner = CliRunner()


def _corpus(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    text = HELSINKI.read_text(encoding="utf-8")
    (src / "a.txt").write_text(text[:3000], encoding="utf-8")
    (src / "sub" / "b.txt").write_text(ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
    (src / "c.txt").write_text(text[3000:6000], encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(b"\x00\x01\x02\x03PK\x03\x04" * 20)
    return src


def _run(*args):
    return runner.invoke(app, ["run", *map(str, args), "--no-progress"])


def _tables(out):
    return {t: pd.read_parquet(out / t) for t in ("documents", "turns", "sentences", "entities",
                                                  "topic_mentions")}


def test_discover_and_shards(tmp_path):
    src = _corpus(tmp_path)
    files, problems = discover([src, src / "a.txt"])
    ids = [f.doc_id for f in files]
    assert ids == sorted(ids) and "sub/b" in ids and "a" in ids
    assert [s.name for s in make_shards(files, 2)] == ["part-00000", "part-00001", "part-00002"]
    _, problems = discover([tmp_path / "missing"])
    assert problems and "no such file" in problems[0][1]


def test_failures_are_recorded_and_exit_code(tmp_path):
    src = _corpus(tmp_path)
    out = tmp_path / "out"
    res = _run(src, "--out", out, "--shard-size", "2")
    assert res.exit_code == 1, res.output
    docs = _tables(out)["documents"].set_index("doc_id")
    assert len(docs) == 5
    assert docs.loc["empty", "status"] == "failed" and "[T003]" in docs.loc["empty", "error"]
    assert docs.loc["binary", "status"] == "failed" and "[T002]" in docs.loc["binary", "error"]
    assert (docs.drop(["empty", "binary"]).status == "ok").all()
    turns = _tables(out)["turns"]
    assert not set(turns.doc_id) & {"empty", "binary"}


def test_resume_never_duplicates(tmp_path):
    src = _corpus(tmp_path)
    out = tmp_path / "out"
    _run(src, "--out", out, "--shard-size", "2")
    full = _tables(out)
    # lose one shard's completion record and one table file, as a crash would
    (out / "_done" / "part-00001.json").unlink()
    (out / "turns" / "part-00001.parquet").unlink()
    res = _run(src, "--out", out, "--shard-size", "2")
    assert "already done" in res.output
    again = _tables(out)
    for t in full:
        pd.testing.assert_frame_equal(full[t], again[t])


def test_refuses_other_config_unless_forced(tmp_path):
    src = _corpus(tmp_path)
    out = tmp_path / "out"
    _run(src / "a.txt", "--out", out)
    cfg = tmp_path / "other.cfg"
    text = open("configs/pipeline.cfg").read()
    other = re.sub(r"(?m)^footer_window = \d+", "footer_window = 149", text)
    assert other != text
    cfg.write_text(other)
    res = _run(src / "a.txt", "--out", out, "--config", cfg)
    assert res.exit_code == 2 and "[T201]" in res.output
    res = _run(src / "a.txt", "--out", out, "--config", cfg, "--force")
    assert res.exit_code == 0, res.output
    assert json.loads((out / "_run.json").read_text())["config"] == str(cfg)


def test_refuses_to_resume_under_other_table_schemas(tmp_path):
    """A folder begun by a version whose tables had other columns (`_run.json` from before
    `sentences.n_words`, no schema hash) is not resumed into a dataset of mixed schemas."""
    src = _corpus(tmp_path)
    out = tmp_path / "out"
    assert _run(src / "a.txt", "--out", out).exit_code == 0
    run_file = out / "_run.json"
    info = json.loads(run_file.read_text())
    assert info["schema_hash"]
    del info["schema_hash"]
    run_file.write_text(json.dumps(info))
    res = _run(src / "a.txt", "--out", out)
    assert res.exit_code == 2 and "[T201]" in res.output and "other schemas" in res.output
    assert _run(src / "a.txt", "--out", out, "--force").exit_code == 0
    assert json.loads(run_file.read_text())["schema_hash"] == schema_hash()


def test_two_processes_equal_one(tmp_path):
    src = _corpus(tmp_path)
    one, two = tmp_path / "one", tmp_path / "two"
    _run(src, "--out", one, "--shard-size", "1")
    _run(src, "--out", two, "--shard-size", "1", "--n-process", "2")
    a, b = _tables(one), _tables(two)
    for t in a:
        pd.testing.assert_frame_equal(a[t], b[t])


def test_dask_local_cluster_equals_local_run(tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    src = _corpus(tmp_path)
    local, dask_out = tmp_path / "local", tmp_path / "dask"
    _run(src, "--out", local, "--shard-size", "2")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        res = _run(src, "--out", dask_out, "--shard-size", "2", "--scheduler", cluster.scheduler_address)
    assert res.exit_code == 1, res.output  # the two bad files fail there too
    a, b = _tables(local), _tables(dask_out)
    for t in a:
        pd.testing.assert_frame_equal(a[t], b[t])
