"""Taxonomy label encodings computed ahead of use (at ``taxonomy import-esco`` and ``db upgrade``), not on the
first title or text someone sends.

The vectors themselves live in the ``EmbeddingCache`` (``<cache_dir>/embeddings/<model>-<hash of labels>.npy``),
so they are keyed by model and by taxonomy content: a new taxonomy version or another model gets new files, an
unchanged one is read back. This module runs the encoding once (``precompute_label_encodings``) and records
which files make up the encodings of which taxonomy version and model in a manifest beside them
(``label-encodings.json``), so that ``talentbridge doctor`` can say whether the active taxonomy is encoded
without loading a model or the taxonomy (``label_encoding_status``).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from talentbridge.config import Settings
from talentbridge.services.readiness import Check

__all__ = ["MANIFEST", "precompute_label_encodings", "label_encoding_status", "taxonomy_version"]

MANIFEST = "label-encodings.json"

Progress = Callable[[int, int], None]


def taxonomy_version(settings: Settings) -> tuple[str, str]:
    """``(source, version)`` of the taxonomy the skill services use: the database's when it is migrated and holds
    one (its version changes on every import), else the built-in one (the hash of the shipped files)."""
    try:
        from talentbridge.storage import Database
        from talentbridge.storage.taxonomy_repository import TaxonomyRepository

        database = Database.from_settings(settings)
        try:
            database.check_ready()
            with database.session() as session:
                repo = TaxonomyRepository(session)
                version = repo.version()
                if version and repo.counts().skills:
                    return "database", version
        finally:
            database.dispose()
    except Exception:  # noqa: BLE001 - no database, not migrated, unreachable: the built-in taxonomy is used
        pass
    from talentbridge.skills.builtin import builtin_content_hash

    return "builtin", builtin_content_hash()


def _manifest_path(settings: Settings) -> Path:
    return settings.cache_dir / "embeddings" / MANIFEST


def _read_manifest(settings: Settings) -> dict[str, Any]:
    try:
        data = json.loads(_manifest_path(settings).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _write_manifest(settings: Settings, data: dict[str, Any]) -> None:
    path = _manifest_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)


def precompute_label_encodings(
    settings: Settings, encoder: str | None = None, progress: Progress | None = None
) -> dict[str, Any]:
    """Encode the active taxonomy's labels with ``encoder`` (default: the product's) and record them.

    Costs minutes on a fresh ESCO import (about 140k labels), seconds when the files are already there.
    Returns the manifest entry: source, version, encoder, files, seconds.
    """
    from talentbridge.services.skill_extraction import DEFAULT_ENCODER, get_skill_services, reset_skill_services

    name = encoder or DEFAULT_ENCODER
    started = time.perf_counter()
    reset_skill_services()  # the taxonomy may have just changed
    source, version = taxonomy_version(settings)
    services = get_skill_services(settings, encoder=name, progress=progress)
    files = list(dict.fromkeys(services.extractor.cache.used if services.extractor.cache else []))
    entry = {
        "source": services.source,
        "version": version,
        "encoder": services.encoder_id,
        "files": files,
        "seconds": round(time.perf_counter() - started, 2),
        "computed_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if services.encoder_id is not None:
        manifest = _read_manifest(settings)
        manifest[f"{source}|{version}|{services.encoder_id}"] = entry
        _write_manifest(settings, manifest)
    return entry


def label_encoding_status(settings: Settings) -> list[Check]:
    """Whether the active taxonomy's labels are encoded for the active encoder, from the manifest (no model
    or taxonomy is loaded)."""
    from talentbridge.skills.minilm import MiniLMEncoder
    from talentbridge.skills.minilm_files import minilm_model_dir

    source, version = taxonomy_version(settings)
    encoder_id = MiniLMEncoder.model_id if minilm_model_dir() is not None else None
    used_for = "first title or text answered without encoding the taxonomy"
    name = "taxonomy label encodings"
    if encoder_id is None:
        return [Check("cache", name, "off", used_for, detail="no MiniLM model: lexical matching only")]
    entry = _read_manifest(settings).get(f"{source}|{version}|{encoder_id}")
    root = settings.cache_dir / "embeddings"
    label = f"{encoder_id}, {source} taxonomy {version[:12]}"
    if not entry:
        detail = f"{label}: not computed yet (first use would take minutes with ESCO); run `talentbridge db upgrade`"
        return [Check("cache", name, "not_built", used_for, str(root), detail)]
    missing = [f for f in entry.get("files", []) if not (root / f).is_file()]
    if missing:
        detail = (
            f"{label}: {len(missing)} file(s) deleted since {entry.get('computed_at')}; run `talentbridge db upgrade`"
        )
        return [Check("cache", name, "not_built", used_for, str(root), detail)]
    size = sum((root / f).stat().st_size for f in entry.get("files", []))
    detail = (
        f"{label}: {len(entry.get('files', []))} file(s), {size / 2**20:.1f} MB, computed {entry.get('computed_at')}"
    )
    return [Check("cache", name, "built", used_for, str(root), detail)]
