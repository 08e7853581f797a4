"""Where the project's configs and models live, and how YAML resources are read."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

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


def load_yaml(path: str | Path) -> Any:
    import yaml

    p = resolve(path)
    try:
        with open(p, encoding="utf-8") as f:
            return yaml.safe_load(f) or {}
    except FileNotFoundError:
        raise PipelineError("T103", f"resource file {p} not found; check the path in the config "
                            "or set TRANSCRIPTS_HOME to the folder holding configs/") from None
    except yaml.YAMLError as e:
        raise PipelineError("T104", f"resource file {p} is not valid YAML: {e}") from None
