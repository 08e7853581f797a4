"""Shared fixtures: the pipeline is loaded once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DATA = Path(__file__).resolve().parent / "data"
HELSINKI = CORPUS / "helsinki-2018-07-16-press-conference.txt"
ARTICLE = CORPUS / "helsinki-2018-07-16-news-article.txt"


@pytest.fixture(scope="session")
def nlp():
    import pipeline

    return pipeline.load()


@pytest.fixture(scope="session")
def blank():
    """A bare Language with the transcript tokenizer, for hand-built Docs."""
    import spacy

    from pipeline import tokenizer  # noqa: F401

    return spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "transcript_tokenizer.v1"}}})


@pytest.fixture(scope="session")
def helsinki_doc(nlp):
    return nlp(HELSINKI.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def corpus_tables(tmp_path_factory):
    """The bundled corpus through the CLI, as pandas DataFrames per table."""
    import pandas as pd
    from typer.testing import CliRunner

    from pipeline.cli import app

    out = tmp_path_factory.mktemp("tables")
    res = CliRunner().invoke(app, ["run", str(CORPUS), "--out", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    return out, {t: pd.read_parquet(out / t) for t in
                 ("documents", "turns", "sentences", "entities", "topic_mentions")}
