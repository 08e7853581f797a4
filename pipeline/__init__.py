"""transcript-pipeline: raw political transcripts → per-turn Parquet tables.

    import pipeline
    nlp = pipeline.load()              # a spaCy Language
    for doc in nlp.pipe(texts): ...    # doc.spans["turns"], doc.ents, doc.spans["topics"]
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Optional

__version__ = "0.1.0"

DEFAULT_CONFIG = "configs/pipeline.cfg"


def config_text(config: Optional[str | Path] = None) -> str:
    from .resources import resolve
    from .errors import PipelineError

    path = resolve(config or DEFAULT_CONFIG)
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        raise PipelineError("T108", f"pipeline config {path} cannot be read; pass --config or set "
                            "TRANSCRIPTS_HOME to the folder holding configs/") from None


def config_hash(config: Optional[str | Path] = None) -> str:
    """Hash of the config and of every resource file and model it names."""
    from .resources import resolve
    import re

    text = config_text(config)
    h = hashlib.sha256(text.encode("utf-8"))
    names = re.findall(r'"([^"]+\.(?:yaml|yml|json))"|"(models/[^"]+)"', text)
    for rel in sorted({a or b for a, b in names}):
        p = resolve(rel)
        files = sorted(p.rglob("*")) if p.is_dir() else [p]
        for f in files:
            if f.is_file():
                h.update(f.name.encode())
                h.update(f.read_bytes())
    return h.hexdigest()[:16]


def load(config: Optional[str | Path] = None, **overrides):
    """The whole pipeline as a spaCy ``Language``, from ``configs/pipeline.cfg``.

    ``overrides`` are dotted config keys, e.g.
    ``load(**{"components.transcript_restorer.threshold": 0.4})``.
    """
    import spacy
    from thinc.api import Config

    from . import entities, restoring, tokenizer, topics, turns  # noqa: F401  (registers factories)

    cfg = Config().from_str(config_text(config), overrides=overrides)
    nlp = spacy.util.load_model_from_config(cfg, auto_fill=True, validate=True)
    return nlp
