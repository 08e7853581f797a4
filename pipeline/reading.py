"""Reading input files: bytes → text, with the encoding recorded or a clear error."""
from __future__ import annotations

import codecs
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

_CONTROL = set(range(0, 9)) | {11} | set(range(14, 32))


@dataclass
class Decoded:
    text: str
    encoding: str
    sha256: str


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return False
    bad = sum(1 for b in sample if b in _CONTROL)
    return b"\x00" in sample or bad / len(sample) > 0.05


def decode_bytes(data: bytes, name: str = "<bytes>") -> Decoded:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Latin-1 for legacy text.
    Binary data, and text that is empty or whitespace only, raise InputError."""
    sha = hashlib.sha256(data).hexdigest()
    if data.startswith(codecs.BOM_UTF8):
        text, enc = data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, enc = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as e:
            raise InputError("T002", f"{name}: starts with a UTF-16 byte-order mark but does not "
                             f"decode as UTF-16 ({e.reason} at byte {e.start})") from None
    elif _looks_binary(data):
        raise InputError("T002", f"{name}: looks like a binary file (NUL or control bytes), "
                         "not text; convert it to UTF-8 text or leave it out")
    else:
        try:
            text, enc = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, enc = data.decode("latin-1"), "latin-1"
    if not text.strip():
        what = "empty" if not text else "whitespace only"
        raise InputError("T003", f"{name}: the file is {what}; there is nothing to process")
    return Decoded(text, enc, sha)


def read_document(path: Path | str) -> Decoded:
    path = Path(path)
    if path.is_dir():
        raise InputError("T004", f"{path}: a folder whose files could not be listed; fix its "
                         "permissions and rerun")
    if path.is_symlink() and not path.exists():
        raise InputError("T001", f"{path}: broken symbolic link to {os.readlink(path)}; fix or "
                         "remove the link")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError("T001", f"{path}: cannot be read ({e.strerror or e}); check that it "
                         "exists and is readable") from None
    return decode_bytes(data, str(path))
