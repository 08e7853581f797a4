"""Headless Chromium for the page tests, and `python tests/browser.py` to remake the
screenshots in docs/ (Debian's `chromium`: `apt-get install chromium`)."""
from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--enable-logging=stderr", "--v=0"]


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def open_page(html: Path, png: Path, width: int = 1280, height: int = 1800) -> tuple[str, str]:
    """Render ``html`` to ``png``; return (the DOM after load, Chromium's log)."""
    exe = chromium()
    if exe is None:
        raise RuntimeError("chromium is not installed (apt-get install chromium)")
    url = html.resolve().as_uri()
    with tempfile.TemporaryDirectory() as profile:
        common = [exe, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"]
        shot = subprocess.run([*common, f"--screenshot={png}", url], capture_output=True,
                              text=True, timeout=120)
        dom = subprocess.run([*common, "--dump-dom", url], capture_output=True, text=True,
                             timeout=120)
    return dom.stdout, shot.stderr + dom.stderr


def png_info(png: Path) -> tuple[int, int, int]:
    """(width, height, number of distinct byte values in the pixels): a blank page has few."""
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{png} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    idat, pos = b"", 8
    while pos < len(data):
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + size]
        pos += 12 + size
    pixels = zlib.decompress(idat)
    return width, height, len(set(pixels[::7]))


def main() -> None:
    """Remake docs/helsinki-report.png and docs/helsinki-show.png from the corpus."""
    from typer.testing import CliRunner

    from pipeline.cli import app

    root = Path(__file__).resolve().parent.parent
    docs = root / "docs"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        runner = CliRunner()
        for args in (["run", str(root / "corpus"), "--out", str(tmp / "tables"), "--no-progress"],
                     ["report", str(tmp / "tables"), "--out", str(tmp / "report.html"),
                      "--title", "Helsinki, 16 July 2018: the corpus report"],
                     ["show", str(root / "corpus" / "helsinki-2018-07-16-press-conference.txt"),
                      "--out", str(tmp / "show.html")]):
            res = runner.invoke(app, args)
            assert res.exit_code == 0, res.output
        open_page(tmp / "report.html", docs / "helsinki-report.png", height=1700)
        open_page(tmp / "show.html", docs / "helsinki-show.png", height=1400)
    print("wrote docs/helsinki-report.png, docs/helsinki-show.png")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
