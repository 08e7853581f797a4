"""The NLP side of a batch run: one shard of input files → the five tables.

A shard task is a plain picklable description (:class:`ShardTask`); each
process (local worker or Dask worker) loads the pipeline once and keeps it.
A document that fails never stops its shard: it is written to ``documents``
with ``status = failed`` and its error, and leaves no other rows.
"""
from __future__ import annotations

import traceback
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import pyarrow as pa

from . import __version__
from .chunking import chunk_docs, merge_rows
from .errors import InputError, PipelineError
from .reading import read_document
from .tables import Rows, Source, doc_rows, failed_document

_PIPELINES: Dict[Tuple[Optional[str], str], object] = {}


def get_pipeline(config: Optional[str], config_hash: str):
    """The pipeline for a config, loaded once per process."""
    key = (config, config_hash)
    if key not in _PIPELINES:
        from . import load
        _PIPELINES.clear()
        _PIPELINES[key] = load(config)
    return _PIPELINES[key]


def preload(task: "ShardTask") -> None:
    """Load the task's pipeline in this process (before workers are forked from it)."""
    get_pipeline(task.config, task.config_hash)


@dataclass(frozen=True)
class ShardTask:
    sources: Tuple[Tuple[str, str], ...]  # (doc_id, path)
    config: Optional[str]
    config_hash: str
    batch_size: int = 16
    max_chars: int = 0  # longer inputs are processed in chunks; 0 = nlp.max_length


def provenance(nlp, config_hash: str) -> Dict[str, str]:
    meta = {"pipeline_version": __version__, "config_hash": config_hash}
    for name, pipe in nlp.pipeline:
        if hasattr(pipe, "model_version"):
            meta[f"model.{name}"] = pipe.model_version
        elif hasattr(pipe, "model") and hasattr(pipe.model, "meta"):
            meta[f"model.{name}"] = f"{pipe.model.meta.get('name')}-{pipe.model.meta.get('version')}"
    import spacy
    meta["spacy_version"] = spacy.__version__
    return meta


def process_long(nlp, text: str, src: Source, max_chars: int) -> Rows:
    """One document longer than ``max_chars``, processed chunk by chunk (bounded memory)."""
    docs = ((doc, offset) for offset, doc in chunk_docs(nlp, text, max_chars))
    parts = [(offset, doc_rows(doc, src, __version__))
             for doc, offset in nlp.pipe(docs, batch_size=1, as_tuples=True)]
    merges = (nlp.get_pipe("transcript_turns").merges_repeats
              if "transcript_turns" in nlp.pipe_names else (lambda speaker: True))
    return merge_rows(parts, text, merges)


def run_shard(task: ShardTask) -> Dict[str, pa.Table]:
    """Process the shard's files; every source appears in ``documents``."""
    nlp = get_pipeline(task.config, task.config_hash)
    max_chars = task.max_chars or nlp.max_length
    rows = Rows()
    short: List[Tuple[str, Source]] = []
    long: List[Tuple[str, Source]] = []
    for doc_id, path in task.sources:
        src = Source(doc_id=doc_id, path=path)
        try:
            dec = read_document(path)
        except InputError as e:
            failed_document(rows, src, str(e), __version__)
            continue
        src.sha256, src.encoding, src.n_chars = dec.sha256, dec.encoding, len(dec.text)
        (long if len(dec.text) > max_chars else short).append((dec.text, src))
    processed = Rows()
    try:
        texts = (text for text, _ in short)
        for doc, (_, src) in zip(nlp.pipe(texts, batch_size=task.batch_size), short):
            processed.extend(doc_rows(doc, src, __version__))
    except Exception:  # isolate the failing document(s): redo the batch one by one
        processed = Rows()
        long = short + long
    for text, src in long:
        try:
            if len(text) > max_chars:
                processed.extend(process_long(nlp, text, src, max_chars))
            else:
                processed.extend(doc_rows(nlp(text), src, __version__))
        except Exception as e:  # noqa: BLE001 - reported per document
            err = PipelineError("T010", f"{src.path}: the pipeline failed on this document: "
                                f"{type(e).__name__}: {e}")
            failed_document(processed, src, str(err), __version__)
            traceback.print_exc()
    rows.extend(processed)
    return rows.to_arrow(provenance(nlp, task.config_hash))
