"""Where the project's configs and models live, and how YAML and word-list resources are
read."""
from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any, FrozenSet

from .errors import PipelineError

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent


def home() -> Path:
    """The folder holding ``configs/`` and ``models/``: ``$TRANSCRIPTS_HOME`` or the checkout."""
    env = os.environ.get("TRANSCRIPTS_HOME")
    return Path(env) if env else PROJECT_DIR


def configs_dir() -> Path:
    return home() / "configs"


def models_dir() -> Path:
    return home() / "models"


def resolve(path: str | Path) -> Path:
    """A path from a config: absolute, relative to the cwd if it exists there, else to home()."""
    p = Path(path)
    if p.is_absolute() or p.exists():
        return p
    return home() / p


@functools.lru_cache(maxsize=16)
def word_set(path: Path) -> FrozenSet[str]:
    """The words of a JSON word list, read once per process: the restorer and the turn rules
    both use ``models/restorer/common_words.json`` (172k words)."""
    return frozenset(json.loads(Path(path).read_text(encoding="utf-8")))


@functools.lru_cache(maxsize=1)
def _loader():
    """PyYAML's safe loader with YAML 1.2 booleans: only ``true``/``false`` are booleans, so
    the words ``yes``, ``no``, ``on`` and ``off`` in a word list stay words (YAML 1.1, PyYAML's
    default, reads them as booleans)."""
    import re

    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    Loader.add_implicit_resolver("tag:yaml.org,2002:bool",
                                 re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                 list("tTfF"))
    return Loader


def load_yaml(path: str | Path) -> Any:
    import yaml

    p = resolve(path)
    try:
        with open(p, encoding="utf-8") as f:
            return yaml.load(f, Loader=_loader()) or {}
    except FileNotFoundError:
        raise PipelineError("T103", f"resource file {p} not found; check the path in the config "
                            "or set TRANSCRIPTS_HOME to the folder holding configs/") from None
    except yaml.YAMLError as e:
        raise PipelineError("T104", f"resource file {p} is not valid YAML: {e}") from None
