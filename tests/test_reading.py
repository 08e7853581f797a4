import codecs

import pytest

from pipeline.errors import InputError
from pipeline.reading import decode_bytes


@pytest.mark.parametrize("data,encoding,text", [
    ("putin thank you".encode("utf-8"), "utf-8", "putin thank you"),
    (codecs.BOM_UTF8 + "trump hello".encode("utf-8"), "utf-8-sig", "trump hello"),
    ("trump caf\u00e9".encode("utf-16"), "utf-16", "trump caf\u00e9"),
    ("trump caf\u00e9".encode("latin-1"), "latin-1", "trump caf\u00e9"),
    (b"trump hello\r\nputin hi\r\n", "utf-8", "trump hello\r\nputin hi\r\n"),
])
def test_decodes(data, encoding, text):
    d = decode_bytes(data, "x.txt")
    assert (d.encoding, d.text) == (encoding, text)
    assert len(d.sha256) == 64


@pytest.mark.parametrize("data,code", [
    (b"", "T003"), (b"  \n\t ", "T003"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "T002"),
])
def test_rejects_with_code_and_name(data, code):
    with pytest.raises(InputError) as e:
        decode_bytes(data, "bad.txt")
    assert e.value.code == code and "bad.txt" in str(e.value)
    assert str(e.value).startswith(f"[{code}]")
