"""Errors with stable codes, in spaCy's style: ``[T001] message``.

Codes:
  T0xx  input files (reading, decoding)
  T1xx  models and configuration
  T2xx  batch runs and output folders
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
