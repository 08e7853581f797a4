"""Every kind of input the reliability issue lists, through `transcripts run`: each file
ends up in `documents` with a status, good files are processed, bad ones fail clearly."""
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline import config_text
from pipeline.cli import app

from conftest import ARTICLE, HELSINKI

runner = CliRunner()
TABLES = ("documents", "turns", "sentences", "entities", "topic_mentions")
FRENCH = ("Le président a déclaré que les deux pays avaient parlé de la Syrie et de la sécurité "
          "en Europe. Nous sommes très contents de cette rencontre, a-t-il dit aux journalistes. ")
RUSSIAN = ("Путин заявил, что переговоры прошли успешно. Мы обсудили ситуацию в Сирии и вопросы "
           "стратегической стабильности. ")


def _run(*args):
    return runner.invoke(app, ["run", *map(str, args), "--no-progress"])


def _tables(out):
    return {t: pd.read_parquet(out / t) for t in TABLES}


def _check_offsets(tables, texts):
    for t in ("turns", "sentences", "entities", "topic_mentions"):
        df = tables[t]
        for doc_id, a, b, text in zip(df.doc_id, df.start_char, df.end_char, df.text):
            assert texts[doc_id][a:b] == text, (t, doc_id, a, b)


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    """One folder holding every case, run once (and a folder that cannot be listed)."""
    src = tmp_path_factory.mktemp("inputs")
    hel = HELSINKI.read_text(encoding="utf-8")
    texts = {
        "lf": hel[:12000],
        "crlf": hel[:12000].replace(" question ", "\r\nquestion ").replace(" trump ", "\r\ntrump "),
        "no_labels": "we talked about trade and about the weather and then we went home " * 20,
        "all_labels": "trump putin question trump putin through translator question",
        "punctuated": ARTICLE.read_text(encoding="utf-8"),
        "french": FRENCH * 20,
        "russian": RUSSIAN * 20,
        "long_line": " ".join([hel.strip()] * 6),  # one line of ~240,000 characters
        "latin1": "the president of the société générale said it s très good " * 10,
        "utf16": "question mr president what did you agree trump we agreed a lot " * 10,
    }
    for name, text in texts.items():
        enc = {"latin1": "latin-1", "utf16": "utf-16"}.get(name, "utf-8")
        (src / f"{name}.txt").write_bytes(text.encode(enc))
    (src / "empty.txt").write_bytes(b"")
    (src / "blank.txt").write_text(" \n\t \r\n ")
    (src / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (src / "broken.txt").symlink_to(src / "gone.txt")
    (src / "locked").mkdir()
    (src / "locked" / "x.txt").write_text("trump hello")

    real_walk = os.walk

    def walk(top, onerror=None, followlinks=False):  # `locked` cannot be listed, even by root
        for folder, dirs, files in real_walk(top, onerror=onerror, followlinks=followlinks):
            if Path(folder).name == "locked":
                onerror(PermissionError(13, "Permission denied", folder))
                continue
            yield folder, dirs, files

    out = src.parent / "out"
    mp = pytest.MonkeyPatch()
    mp.setattr("pipeline.batch.os.walk", walk)
    try:
        res = _run(src, "--out", out, "--max-chars", "100000")
    finally:
        mp.undo()
    return res, _tables(out), texts


def test_every_input_is_accounted_for(matrix):
    res, tables, texts = matrix
    docs = tables["documents"].set_index("doc_id")
    expected = set(texts) | {"empty", "blank", "binary", "broken", "locked/"}
    assert set(docs.index) == expected
    assert res.exit_code == 1  # something failed
    failed = {
        "empty": "[T003]", "blank": "[T003]", "binary": "[T002]", "broken": "[T001]",
        "locked/": "[T004]",
    }
    for doc_id, code in failed.items():
        row = docs.loc[doc_id]
        assert row.status == "failed" and row.error.startswith(code), (doc_id, row.error)
        assert row.path in row.error  # the error names the file
    assert (docs.drop(list(failed)).status == "ok").all()
    for t in TABLES[1:]:  # failed documents leave no other rows
        assert not set(tables[t].doc_id) & set(failed)
    assert "locked" in res.output and "broken symbolic link" in res.output


def test_good_inputs_are_processed(matrix):
    _, tables, texts = matrix
    docs = tables["documents"].set_index("doc_id")
    decoded = dict(texts)
    _check_offsets(tables, decoded)
    assert docs.loc["latin1", "encoding"] == "latin-1" and docs.loc["utf16", "encoding"] == "utf-16"
    assert docs.loc["punctuated", "restore_mode"] == "keep"
    assert docs.loc["crlf", "restore_mode"] == "restore"
    assert docs.loc["french", "language"] == "fr" and docs.loc["russian", "language"] == "ru"
    assert docs.loc["all_labels", "language"] == "und"  # names only: no function words
    assert (docs.drop(["french", "russian", "all_labels"]).query("status == 'ok'").language == "en").all()
    turns = tables["turns"]
    nolab = turns[turns.doc_id == "no_labels"]
    assert list(nolab.role) == ["narrator"] and nolab.n_words.iloc[0] == 260
    # all labels: processed, and its words are speech or labels (annotated), never lost
    labs = turns[turns.doc_id == "all_labels"]
    assert docs.loc["all_labels", "status"] == "ok" and len(labs) >= 1
    assert labs.n_words.sum() < 8 and any(len(a) for a in labs.annotations)
    crlf, lf = turns[turns.doc_id == "crlf"], turns[turns.doc_id == "lf"]
    assert {"putin", "trump"} <= set(crlf.speaker)
    assert list(crlf.speaker) == list(lf.speaker)
    for doc_id in ("long_line", "utf16", "crlf"):
        n = turns[turns.doc_id == doc_id].n_words.sum()
        assert n == docs.loc[doc_id, "n_words"] > 0.8 * len(texts[doc_id].split())
    assert "société" in " ".join(turns[turns.doc_id == "latin1"].text)


def test_long_input_is_chunked_like_one_doc(matrix, tmp_path):
    """`long_line` (240,000 characters) went through in chunks of at most 100,000: its turns
    are the six copies of the Helsinki turns, as when it is processed whole. Compared with
    the hand rules alone, without the verifier and the role-labelled rule: both count a
    name's labels over what they see, one chunk or the whole text (`barron` labels one turn
    of one copy, six of six copies), so their labels may differ at chunk scale."""
    _, tables, texts = matrix
    chunked = tables["turns"][tables["turns"].doc_id == "long_line"]
    assert list(chunked.turn_id) == list(range(len(chunked)))
    assert set(chunked.speaker) >= {"putin", "trump", "question", "staff", "narrator"}
    cfg = tmp_path / "rules.cfg"
    rules = re.sub(r'(?m)^verifier_path = .*$', 'verifier_path = ""', config_text())
    cfg.write_text(re.sub(r'(?m)^role_labelled_share = .*$', 'role_labelled_share = 0', rules),
                   encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "long_line.txt").write_text(texts["long_line"], encoding="utf-8")
    runs = {}
    for name, extra in (("whole", ()), ("chunked", ("--max-chars", "100000"))):
        assert _run(tmp_path / "in", "--out", tmp_path / name, "--config", cfg, *extra).exit_code == 0
        runs[name] = _tables(tmp_path / name)["turns"].sort_values("turn_id")
    one, many = runs["whole"], runs["chunked"]
    assert list(many.speaker) == list(one.speaker)
    assert list(many.start_char) == list(one.start_char)
    assert many.n_words.sum() == one.n_words.sum()


def test_five_megabyte_file(tmp_path):
    """5 MB on one line, over spaCy's max_length: chunks, offsets into the original file."""
    text = " ".join([HELSINKI.read_text(encoding="utf-8").strip()] * 125)
    assert len(text.encode()) > 4_500_000
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "big.txt").write_text(text, encoding="utf-8")
    res = _run(tmp_path / "in", "--out", tmp_path / "out")
    assert res.exit_code == 0, res.output
    tables = _tables(tmp_path / "out")
    doc = tables["documents"].iloc[0]
    assert doc.status == "ok" and doc.n_chars == len(text)
    turns = tables["turns"]
    assert turns.n_words.sum() == doc.n_words > 0.95 * len(text.split())
    assert len(turns) > 125 * 20 and (turns.speaker != "continued").all()
    _check_offsets({"turns": turns, "sentences": tables["sentences"],
                    "entities": tables["entities"], "topic_mentions": tables["topic_mentions"]},
                   {"big": text})


def test_sigkill_then_rerun_gives_the_uninterrupted_rows(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    hel = HELSINKI.read_text(encoding="utf-8")
    for k in range(6):
        (src / f"doc{k}.txt").write_text(hel[k * 6000:(k + 1) * 6000 + 8000], encoding="utf-8")
    killed = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(src), "--out", str(killed),
                             "--shard-size", "1", "--no-progress"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    done = killed / "_done"
    while time.time() < deadline and not (done.exists() and any(done.iterdir())):
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    n_done = len(list(done.iterdir()))
    assert 1 <= n_done < 6, "the run was not killed mid-way"
    res = _run(src, "--out", killed, "--shard-size", "1")
    assert res.exit_code == 0 and "already done" in res.output, res.output
    clean = tmp_path / "clean"
    assert _run(src, "--out", clean, "--shard-size", "1").exit_code == 0
    a, b = _tables(killed), _tables(clean)
    for t in TABLES:
        pd.testing.assert_frame_equal(a[t], b[t])
    assert not [p for p in killed.rglob("*") if ".tmp-" in p.name]  # stale temp files cleared


def test_strict_stops_at_the_first_failure_and_a_rerun_finishes(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a_binary.txt").write_bytes(bytes(range(256)) * 40)  # the largest shard runs first
    for k in range(3):
        (src / f"b{k}.txt").write_text("trump we met question what about trade " * 5)
    out = tmp_path / "out"
    res = _run(src, "--out", out, "--shard-size", "1", "--strict")
    assert res.exit_code == 2 and "[T203]" in res.output and "a_binary" in res.output
    done = len(list((out / "_done").iterdir()))
    assert done < 4  # stopped before the end
    res = _run(src, "--out", out, "--shard-size", "1")
    assert res.exit_code == 1  # the binary file still fails, and the rest is done
    docs = _tables(out)["documents"].set_index("doc_id")
    assert len(docs) == 4 and docs.loc["a_binary", "status"] == "failed"
    assert (docs.drop("a_binary").status == "ok").all()
