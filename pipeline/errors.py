"""Errors with stable codes, in spaCy's style: ``[T001] message``.

Codes (stable; a new error gets a new code):
  T0xx  input files: T001 cannot be read (missing, permissions, broken link), T002 binary
        or undecodable, T003 empty or whitespace only, T004 a folder that cannot be listed,
        T006 no input files at all, T010 the pipeline failed on this document
  T1xx  models and configuration: T101 restorer model folder, T102 restorer settings,
        T103/T104 resource file missing/invalid YAML, T105 no NER model, T106 knowledge
        entry, T107 taxonomy entry, T108 pipeline config unreadable, T109 word-list
        file missing or malformed (non-openers, common words, first names, modifiers),
        T110/T111 label verifier unreadable/wrong features, T112 label verifier missing,
        T113 turn segmenter setting out of range, T114 speaker book list that is no list
  T2xx  batch runs and output folders: T201 the folder holds another run, T202 shard
        size, T203 --strict stopped the run, T204 Dask missing, T205 not a tables folder
"""
from __future__ import annotations


class PipelineError(Exception):
    """An error the user can act on; ``code`` is stable across releases."""

    def __init__(self, code: str, message: str):
        self.code = code
        self.message = message
        super().__init__(f"[{code}] {message}")


class InputError(PipelineError):
    """A single input document could not be read; the batch goes on."""
