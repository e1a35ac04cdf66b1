"""Skills from text on the way in: talents and openings that arrive with text but no explicit skills get inferred
skills (``source="inferred"`` with the extractor's confidence), so plain résumés and plain job ads can be matched
at once.

* Talent: skills extracted from ``resume_text`` (plus desired roles and job titles), level 3. Every skill the text
  names outright is kept, with confidence at least ``NAMED_CONFIDENCE`` (the text names it: "Docker" in a skills
  line is surer evidence than any inference), except weak mentions (one common word such as "software", or a
  name inside another skill's name), which keep the extractor's score like inferred skills; a thin résumé with a
  desired role also gets that role's occupation's essential skills (confidence at most ``MIN_CONFIDENCE``).
* Opening: skills extracted from title + description as ``should`` requirements, ``must`` only where the text
  says so (필수, 능숙, required, must ...); inferred ones (guesses) only when the text names fewer than three
  skills itself, as the opening form ticks them; when that finds fewer than three or the text is thin (a bare title
  such as "Data Engineer", "HR", "품질관리 엔지니어", or a title and a line), the title is normalized to an
  occupation and its essential skills become ``should`` requirements (its optional skills ``nice``), with the
  title match score as confidence; ``occupation_id`` is filled in when empty.

Records that carry any explicit skill are left alone. ``Settings.infer_skills`` switches this off.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, NamedTuple

from talentbridge.config import Settings
from talentbridge.domain import OpeningData, RequiredSkill, SkillClaim, TalentData
from talentbridge.domain.enums import Importance, SkillSource

__all__ = [
    "SkillInference",
    "FoundSkill",
    "infer_talent",
    "infer_opening",
    "infer_record",
    "infer_stored",
    "before_save_hook",
    "MIN_CONFIDENCE",
    "NAMED_CONFIDENCE",
]

_cache: dict[tuple[str, int, int], SkillInference] = {}
_cache_lock = threading.Lock()

MIN_CONFIDENCE = 0.3  # extracted skills below this score are not kept
#: a skill the text names outright (not weakly) is held at least this sure, above what the text's wording alone
#: gives it: the extractor's score of a named tool in a long list is its closeness to the surrounding lines
NAMED_CONFIDENCE = 0.9
MAX_SKILLS = 15
INFERRED_LEVEL = 3


class FoundSkill(NamedTuple):
    """One skill ``SkillInference.extract_with_importance`` found in a text."""

    skill_id: str
    confidence: float
    importance: Importance  # must only where the text says so (필수, required ...), else should
    named: bool  # the text names it outright (not as one common word)


class SkillInference:
    """Wraps the skills component (extractor, title normalizer, taxonomy) for inference of missing skills."""

    def __init__(self, services: Any):
        self.services = services
        self.taxonomy = services.taxonomy
        self._skill_by_uri = {s.uri: s.id for s in self.taxonomy.skills.values()}

    @classmethod
    def from_settings(cls, settings: Settings, encoder: str | None = None) -> SkillInference:
        """The inference for the configured taxonomy, shared by the whole process (one per encoder and taxonomy
        content). In the ``test`` environment the default encoder is ``none`` (lexical matching, no model)."""
        from talentbridge.services.skill_extraction import (
            DEFAULT_ENCODER,
            get_skill_services,
            load_taxonomy_for,
        )

        if encoder is None:
            encoder = "none" if settings.environment == "test" else DEFAULT_ENCODER
        taxonomy, _ = load_taxonomy_for(settings)
        key = (encoder, hash(tuple(sorted(taxonomy.skills))), hash(tuple(sorted(taxonomy.occupations))))
        with _cache_lock:
            hit = _cache.get(key)
            if hit is None:
                hit = _cache[key] = cls(get_skill_services(settings, encoder=encoder, taxonomy=taxonomy))
            return hit

    def _skill_id(self, uri: str) -> str | None:
        if uri in self.taxonomy.skills:
            return uri
        return self._skill_by_uri.get(uri)

    def extract(self, text: str, top: int = MAX_SKILLS) -> list[tuple[str, float]]:
        """(skill id, confidence) pairs without duplicates: every skill the text names outright, then the
        inferred ones above ``MIN_CONFIDENCE`` (up to ``top`` in all), each group best first."""
        return [(found.skill_id, found.confidence) for found in self.extract_with_importance(text, top)]

    def extract_with_importance(self, text: str, top: int = MAX_SKILLS) -> list[FoundSkill]:
        """``extract`` plus the importance a job text gives each skill (``must`` only when the text says so: 필수,
        능숙, required, must ...; ``skills/requirement_cues.py``; else ``should``) and whether the text names it
        outright (not weakly)."""
        from talentbridge.skills.requirement_cues import importance_at

        if not text or not text.strip():
            return []
        out: dict[str, FoundSkill] = {}
        for found in self.services.extractor.extract(text, top=top):
            sid = self._skill_id(found.uri)
            score = float(min(1.0, max(0.0, found.score)))
            explicit = found.via == "explicit"
            if sid is None or sid in out or (not explicit and score < MIN_CONFIDENCE):
                continue
            must = explicit and importance_at(text, found.spans).importance == "must"
            out[sid] = FoundSkill(
                sid,
                max(score, MIN_CONFIDENCE if found.weak else NAMED_CONFIDENCE) if explicit else score,
                Importance.MUST if must else Importance.SHOULD,
                explicit and not found.weak,
            )
        return list(out.values())

    def occupation(self, title: str) -> tuple[Any, float] | None:
        """The occupation ``title`` clearly names (``skill_suggestions.title_occupation``) and the match score, or
        None."""
        from talentbridge.services.skill_suggestions import title_occupation

        hit = title_occupation(self.services, title)
        return None if hit is None else (hit[0], float(min(1.0, hit[1].score)))


def infer_talent(record: TalentData, inference: SkillInference) -> TalentData:
    """``record`` with inferred skills when it has text but no skills (else unchanged)."""
    if record.skills:
        return record
    parts = [record.resume_text or "", *record.desired_roles, *(w.title or "" for w in record.work_history)]
    text = "\n".join(p for p in parts if p)
    found = inference.extract(text)
    claims = [
        SkillClaim(skill_id=sid, level=INFERRED_LEVEL, source=SkillSource.INFERRED, confidence=round(c, 3))
        for sid, c in found
    ]
    if record.desired_roles and _thin(record.resume_text or ""):
        # a résumé too short to infer from: the desired role's occupation gives something to match on
        hit = inference.occupation(record.desired_roles[0])
        if hit is not None:
            occ, score = hit
            have = {c.skill_id for c in claims}
            for sid in occ.essential_skills:
                if sid in inference.taxonomy.skills and sid not in have and len(claims) < MAX_SKILLS:
                    claims.append(
                        SkillClaim(
                            skill_id=sid,
                            level=INFERRED_LEVEL,
                            source=SkillSource.INFERRED,
                            confidence=round(min(score, MIN_CONFIDENCE), 3),
                        )
                    )
                    have.add(sid)
    if not claims:
        return record
    return record.model_copy(update={"skills": claims})


def _thin(text: str) -> bool:
    from talentbridge.services.skill_suggestions import is_thin

    return is_thin(text)


def infer_opening(record: OpeningData, inference: SkillInference) -> OpeningData:
    """``record`` with inferred requirements when it lists no skills (else unchanged)."""
    if record.required_skills:
        return record
    text = "\n".join(p for p in (record.title, record.description or "") if p)
    from talentbridge.services.skill_suggestions import PRESELECT_NAMED

    found = inference.extract_with_importance(text)
    # an ad that names its skills asks for those: guesses are added only to one that names fewer than three, as
    # the opening form ticks them (``skill_suggestions.PRESELECT_NAMED``)
    few = sum(f.named for f in found) < PRESELECT_NAMED
    required: dict[str, RequiredSkill] = {}
    for f in found:  # must-have only where the text says so
        if not (f.named or few):
            continue
        required[f.skill_id] = RequiredSkill(
            skill_id=f.skill_id,
            min_level=INFERRED_LEVEL,
            importance=f.importance,
            source=SkillSource.INFERRED,
            confidence=round(f.confidence, 3),
        )
    update: dict[str, Any] = {}
    if len(required) < 3 or _thin(text):
        hit = inference.occupation(record.title)
        if hit is not None:
            occ, score = hit
            if record.occupation_id is None:
                update["occupation_id"] = occ.id
            for sid, importance in [
                *((s, Importance.SHOULD) for s in occ.essential_skills),  # the title did not say "must"
                *((s, Importance.NICE) for s in occ.optional_skills),
            ]:
                if sid in inference.taxonomy.skills and sid not in required:
                    required[sid] = RequiredSkill(
                        skill_id=sid,
                        min_level=INFERRED_LEVEL,
                        importance=importance,
                        source=SkillSource.INFERRED,
                        confidence=round(score, 3),
                    )
    if not required and not update:
        return record
    update["required_skills"] = list(required.values())
    return record.model_copy(update=update)


def infer_record(entity: str, record: Any, inference: SkillInference) -> Any:
    """Dispatch on ``entity`` (``talent``/``talents``, ``opening``/``openings``); other records pass through."""
    if entity in ("talent", "talents") and isinstance(record, TalentData):
        return infer_talent(record, inference)
    if entity in ("opening", "openings") and isinstance(record, OpeningData):
        return infer_opening(record, inference)
    return record


def needs_inference(entity: str, record: Any) -> bool:
    """A talent with text but no skills, or an opening without required skills."""
    return _needs(entity, record)


def inference_hook(settings: Settings) -> Any:
    """``(entity, record) -> record`` that infers missing skills (for imports); None when switched off."""
    if not settings.infer_skills:
        return None
    inference = SkillInference.from_settings(settings)
    return lambda entity, record: infer_record(entity, record, inference) if _needs(entity, record) else record


def _needs(entity: str, record: Any) -> bool:
    if entity in ("talent", "talents") and isinstance(record, TalentData):
        return not record.skills and _has_text(entity, record)
    if entity in ("opening", "openings") and isinstance(record, OpeningData):
        return not record.required_skills
    return False


def _has_text(entity: str, record: Any) -> bool:
    """Something to infer from: a talent's résumé, desired roles or job titles; an opening's title."""
    if entity in ("talent", "talents"):
        return bool(record.resume_text or record.desired_roles or record.work_history)
    return bool(record.title)


def before_save_hook(request: Any, entity: str, record: Any) -> Any:
    """Registry API hook (``app.state.before_save_hooks``): infer missing skills before a save."""
    settings: Settings = request.app.state.settings
    if not settings.infer_skills or not _needs(entity, record):
        return record
    return infer_record(entity, record, SkillInference.from_settings(settings))


def infer_stored(
    session: Any,
    inference: SkillInference,
    batch_size: int = 1000,
    refresh: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Infer skills for every stored talent and opening that has none (after an import); returns counts.

    ``refresh``: also infer again for records whose skills are all AI-inferred (none stated by a person), so that
    a grown taxonomy or a new rule of the extractor reaches records imported before it; what a person stated is
    never touched, also when a person states skills while this runs (each record is checked again when its batch
    is read). ``progress(done, total)`` is called after every batch of records (a job commits there)."""
    from talentbridge.storage.repositories import Repositories

    repos = Repositories(session)
    counts = {"talents": 0, "openings": 0}
    work = []
    for entity, repo, field in (
        ("talent", repos.talents, "skills"),
        ("opening", repos.openings, "required_skills"),
    ):
        ids = [r.id for r in repo.iter_all(batch_size=batch_size) if _wanted(entity, r, field, refresh)]
        work.append((entity, repo, field, ids))
    total, done = sum(len(ids) for *_, ids in work), 0
    for entity, repo, field, ids in work:
        for start in range(0, len(ids), batch_size):
            for record in repo.get_many(ids[start : start + batch_size]).values():
                if not _wanted(entity, record, field, refresh):
                    continue  # changed since the list was made (a person stated skills meanwhile): left alone
                before = [s.model_dump(mode="json") for s in getattr(record, field)]
                enriched = infer_record(entity, record.model_copy(update={field: []}), inference)
                after = [s.model_dump(mode="json") for s in getattr(enriched, field)]
                if after and after != before:
                    changes: dict[str, Any] = {field: after}
                    if entity == "opening" and enriched.occupation_id != record.occupation_id:
                        changes["occupation_id"] = enriched.occupation_id
                    repo.update(record.id, changes)
                    counts[f"{entity}s"] += 1
            done += len(ids[start : start + batch_size])
            if progress is not None:
                progress(done, total)
    return counts


def _wanted(entity: str, record: Any, field: str, refresh: bool) -> bool:
    """``infer_stored`` reads ``record`` (again): it has no skills, or (``refresh``) only AI-inferred ones."""
    return _needs(entity, record) or (refresh and _all_inferred(getattr(record, field)) and _has_text(entity, record))


def _all_inferred(skills: Any) -> bool:
    return bool(skills) and all(str(s.source) == SkillSource.INFERRED for s in skills)
