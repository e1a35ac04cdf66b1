"""ESCO merged with the built-in taxonomy, and taken out of it again.

* ``merge_with_builtin(builtin, esco)`` links built-in concepts to ESCO through ``esco_uri``: a linked concept keeps
  its id, Korean labels and fields, and gains ESCO's labels (as alternatives) and relations; ESCO-only concepts
  keep their URI as id;
* ``esco_layer(merged)`` recovers the ESCO data exactly (needed when the built-in taxonomy changes after an import);
* ``update_layer(old, new)`` applies a newer release over an older one, keeping every id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from talentbridge.skills.esco import EscoData
from talentbridge.skills.taxonomy import Taxonomy

__all__ = ["merge_with_builtin", "esco_layer", "update_layer"]


def _union(*lists: Iterable[str], exclude: Iterable[str] = ()) -> list[str]:
    out: dict[str, None] = {}
    skip = set(exclude)
    for items in lists:
        for item in items:
            if item not in skip:
                out.setdefault(item, None)
    return list(out)


def _alt_union(own_label: str, own: list[str], esco_label: str, esco_alt: list[str]) -> list[str]:
    seen = {own_label.casefold()}
    out: list[str] = []
    for label in (*own, esco_label, *esco_alt):
        key = label.casefold()
        if label and key not in seen:
            seen.add(key)
            out.append(label)
    return out


def merge_with_builtin(builtin: Taxonomy, esco: EscoData) -> EscoData:
    """Merge ``esco`` (URI ids) into ``builtin``; neither argument is changed.

    A built-in concept whose ``esco_uri`` is in ESCO keeps its id, labels, type, family and Korean text; it
    gains ESCO's preferred and alternative labels as English alternatives, ESCO's description and ISCO code
    when it has none, and ESCO's relations (rewritten to built-in ids). ESCO-only concepts keep their URI as
    id. Built-in concepts not in ESCO are unchanged. Everything built-in is kept.
    """
    merged = EscoData(
        skill_groups=dict(esco.skill_groups),
        isco_groups=dict(esco.isco_groups),
        skipped=list(esco.skipped),
        rows=dict(esco.rows),
    )
    skill_id = {uri: uri for uri in esco.taxonomy.skills}
    occ_id = {uri: uri for uri in esco.taxonomy.occupations}
    for s in builtin.skills.values():
        if s.esco_uri and s.esco_uri in esco.taxonomy.skills:
            skill_id[s.esco_uri] = s.id
    for o in builtin.occupations.values():
        if o.esco_uri and o.esco_uri in esco.taxonomy.occupations:
            occ_id[o.esco_uri] = o.id

    def sk(uris: Iterable[str]) -> list[str]:
        return [skill_id[u] for u in uris if u in skill_id]

    def oc(uris: Iterable[str]) -> list[str]:
        return [occ_id[u] for u in uris if u in occ_id]

    skills = merged.taxonomy.skills
    for uri, e in esco.taxonomy.skills.items():
        if skill_id[uri] == uri:
            skills[uri] = replace(e, broader=sk(e.broader), related=sk(e.related), alt_en=list(e.alt_en))
    for s in builtin.skills.values():
        e = esco.taxonomy.skills.get(s.esco_uri or "")
        if e is None:
            skills[s.id] = replace(s, broader=list(s.broader), related=list(s.related))
            continue
        merged.esco_skills[s.id] = e
        skills[s.id] = replace(
            s,
            alt_en=_alt_union(s.label_en, s.alt_en, e.label_en, e.alt_en),
            alt_ko=list(s.alt_ko),
            description_en=s.description_en or e.description_en,
            broader=_union(s.broader, sk(e.broader), exclude=[s.id]),
            related=_union(s.related, sk(e.related), exclude=[s.id]),
        )
    for (src, dst), kind in esco.related_type.items():
        merged.related_type[(skill_id[src], skill_id[dst])] = kind
    for uri, groups in esco.group_links.items():
        merged.group_links[skill_id[uri]] = list(groups)

    occupations = merged.taxonomy.occupations
    for uri, e in esco.taxonomy.occupations.items():
        if occ_id[uri] == uri:
            occupations[uri] = replace(
                e,
                essential_skills=sk(e.essential_skills),
                optional_skills=sk(e.optional_skills),
                broader=oc(e.broader),
                alt_en=list(e.alt_en),
            )
    for o in builtin.occupations.values():
        e = esco.taxonomy.occupations.get(o.esco_uri or "")
        if e is None:
            occupations[o.id] = replace(
                o,
                essential_skills=list(o.essential_skills),
                optional_skills=list(o.optional_skills),
                broader=list(o.broader),
            )
            continue
        merged.esco_occupations[o.id] = e
        essential = _union(o.essential_skills, sk(e.essential_skills))
        occupations[o.id] = replace(
            o,
            alt_en=_alt_union(o.label_en, o.alt_en, e.label_en, e.alt_en),
            alt_ko=list(o.alt_ko),
            isco_code=o.isco_code or e.isco_code,
            description_en=o.description_en or e.description_en,
            essential_skills=essential,
            optional_skills=_union(o.optional_skills, sk(e.optional_skills), exclude=essential),
            broader=_union(o.broader, oc(e.broader), exclude=[o.id]),
        )
    return merged


def esco_layer(merged: EscoData) -> EscoData:
    """The ESCO data inside a merged taxonomy, with URI ids again (inverse of ``merge_with_builtin``).

    Built-in concepts without ESCO counterpart are left out; relations added by the built-in side are dropped.
    """
    tax = merged.taxonomy
    uri = {s.id: (s.esco_uri or s.id) for s in tax.skills.values()}
    occ_uri = {o.id: (o.esco_uri or o.id) for o in tax.occupations.values()}
    layer = EscoData(
        skill_groups=dict(merged.skill_groups), isco_groups=dict(merged.isco_groups), rows=dict(merged.rows)
    )
    for s in tax.skills.values():
        if s.builtin:
            e = merged.esco_skills.get(s.id)
            if e is not None:
                layer.taxonomy.skills[e.id] = e
        else:
            layer.taxonomy.skills[s.id] = replace(
                s, broader=[uri[b] for b in s.broader], related=[uri[r] for r in s.related]
            )
    for (src, dst), kind in merged.related_type.items():
        layer.related_type[(uri[src], uri[dst])] = kind
    for sid, groups in merged.group_links.items():
        layer.group_links[uri[sid]] = list(groups)
    for o in tax.occupations.values():
        if o.builtin:
            e = merged.esco_occupations.get(o.id)
            if e is not None:
                layer.taxonomy.occupations[e.id] = e
        else:
            layer.taxonomy.occupations[o.id] = replace(
                o,
                essential_skills=[uri[s] for s in o.essential_skills],
                optional_skills=[uri[s] for s in o.optional_skills],
                broader=[occ_uri[b] for b in o.broader],
            )
    return layer


def update_layer(old: EscoData, new: EscoData) -> EscoData:
    """``new`` (a newer ESCO release, URI ids) applied over ``old``: concepts in ``new`` replace theirs in
    ``old`` (labels, relations, everything); concepts only in ``old`` are kept, so ids that talents and
    openings refer to never disappear.
    """
    out = EscoData(
        skill_groups={**old.skill_groups, **new.skill_groups},
        isco_groups={**old.isco_groups, **new.isco_groups},
        skipped=list(new.skipped),
        rows=dict(new.rows),
    )
    out.taxonomy.skills = {**old.taxonomy.skills, **new.taxonomy.skills}
    out.taxonomy.occupations = {**old.taxonomy.occupations, **new.taxonomy.occupations}
    new_skills = new.taxonomy.skills
    for (src, dst), kind in old.related_type.items():
        if src not in new_skills:
            out.related_type[(src, dst)] = kind
    out.related_type.update(new.related_type)
    for sid, groups in old.group_links.items():
        if sid not in new_skills:
            out.group_links[sid] = groups
    out.group_links.update(new.group_links)
    return out
