"""Per-occupation prior features for title normalization, from the taxonomy's own structure and from how common
an occupation's name is in general English. No training data goes in: these are properties of the taxonomy that
the user imports (and of the ``wordfreq`` package's word lists), and ``TitleWeights`` fits one weight per
feature, never one per occupation.

A short vacancy title ("Account Executive", "Lead Game Programmer") more often means an occupation with a common,
generic name ("accounting assistant", "software developer") than a rare specialisation. Three families of
features carry that:

- structure: narrower occupations, a parent occupation, preferred-label length, linked skills, alternative
  labels, description length;
- name frequency: the ``wordfreq`` Zipf frequency (log10 per billion words) of the preferred English label, the
  highest and the mean over the English labels, and the frequency of the preferred label's rarest word;
- named variants: how many other occupations of the same ISCO sub-major group (2 digits) or unit group
  (4 digits) carry a label that contains every word of this occupation's preferred label ("software developer"
  is contained in "mobile software developer", ...): a generic name has many specialisations.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from talentbridge.skills.taxonomy import Occupation

__all__ = ["FEATURES", "occupation_features"]

#: Feature names, each the suffix of a ``TitleWeights.prior_*`` weight.
FEATURES = (
    "children",
    "has_parent",
    "label_words",
    "skills",
    "alt_labels",
    "description_words",
    "name_frequency",
    "name_frequency_max",
    "name_frequency_mean",
    "rarest_word",
    "variants_group",
    "variants_unit",
)


def occupation_features(occupations: Sequence[Occupation]) -> dict[str, np.ndarray]:
    """One float32 column per name in ``FEATURES``, one row per occupation (in the given order)."""
    n = len(occupations)
    ids = {o.id for o in occupations}
    children: dict[str, int] = {}
    for o in occupations:
        for parent in o.broader:
            children[parent] = children.get(parent, 0) + 1
    out = {name: np.zeros(n, dtype=np.float32) for name in FEATURES}
    for i, o in enumerate(occupations):
        out["children"][i] = np.log1p(children.get(o.id, 0))
        out["has_parent"][i] = float(any(p in ids for p in o.broader))
        out["label_words"][i] = len((o.label_en or o.label_ko).split())
        out["skills"][i] = np.log1p(len(o.essential_skills) + len(o.optional_skills))
        out["alt_labels"][i] = np.log1p(len(o.alt_en) + len(o.alt_ko))
        out["description_words"][i] = np.log1p(len((o.description_en or o.description_ko).split()))
    _name_frequencies(occupations, out)
    out["variants_group"] = _named_variants(occupations, 2)
    out["variants_unit"] = _named_variants(occupations, 4)
    return out


def _name_frequencies(occupations: Sequence[Occupation], out: dict[str, np.ndarray]) -> None:
    from wordfreq import zipf_frequency  # its word lists load on first use

    seen: dict[str, float] = {}

    def zipf(text: str) -> float:
        if text not in seen:
            seen[text] = zipf_frequency(text, "en")
        return seen[text]

    for i, o in enumerate(occupations):
        if not o.label_en:
            continue  # a Korean-only concept: no English frequency (0, as for an unknown word)
        labels = [zipf(label) for label in (o.label_en, *o.alt_en)]
        out["name_frequency"][i] = labels[0]
        out["name_frequency_max"][i] = max(labels)
        out["name_frequency_mean"][i] = float(np.mean(labels))
        out["rarest_word"][i] = min(zipf(word) for word in o.label_en.split())


def _named_variants(occupations: Sequence[Occupation], digits: int) -> np.ndarray:
    """log(1 + number of other occupations with the same first ``digits`` ISCO digits and some label whose word set
    contains the word set of this occupation's preferred label); 0 without an ISCO code that long."""
    by_word: dict[tuple[str, str], set[int]] = {}  # (group, word) -> occupations of the group with it in a label
    groups = [o.isco_code[:digits] if len(o.isco_code) >= digits else "" for o in occupations]
    label_words: list[list[frozenset[str]]] = []
    for i, o in enumerate(occupations):
        words = [frozenset(label.lower().split()) for label in o.labels()]
        label_words.append(words)
        if groups[i]:
            for w in set().union(*words):
                by_word.setdefault((groups[i], w), set()).add(i)
    out = np.zeros(len(occupations), dtype=np.float32)
    for i, o in enumerate(occupations):
        wanted = frozenset((o.label_en or o.label_ko).lower().split())
        if not groups[i] or not wanted:
            continue
        # occupations having every wanted word in some label, then the ones with all of them in one label
        pools = sorted((by_word.get((groups[i], w), set()) for w in wanted), key=len)
        maybe = set.intersection(*pools) - {i}
        out[i] = np.log1p(sum(1 for j in maybe if any(wanted <= words for words in label_words[j])))
    return out
