"""Paths of the data shipped inside the installed package (trained weights)."""
from __future__ import annotations

from importlib import resources
from pathlib import Path


def model_dir(name: str) -> Path:
    """Folder of the shipped weights ``name`` (``attributions-fast``, ``propaganda-fast``, ...)."""
    return Path(str(resources.files("sourcetrace") / "data" / "models" / name))
