"""Weights of job-title normalization (``titles.py``): ``TitleWeights``, and ``KOREAN_WEIGHTS`` for Korean titles.

One weight per evidence signal, per prior (small nudges between near-ties) and for the late interaction; the fused
score is divided by the sum of the evidence weights (``TitleWeights.evidence``) so that it stays about 0..1. How
each set was fitted, and on which titles, is said beside it and in docs/skills.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["TitleWeights", "KOREAN_WEIGHTS"]


@dataclass
class TitleWeights:
    """Fusion weights, fitted on half A of the development titles as a conditional logit over the top 100
    candidates (``benchmarks/fit_title_weights.py``, docs/skills.md; half B stays held out). The score is divided
    by the sum of the evidence weights so that it stays about 0..1; the prior terms are small nudges between
    near-ties."""

    semantic: float = 0.1956
    bm25: float = 0.0384
    exact: float = 0.0  # an exact label already has semantic and preferred 1.0; kept for lexical-only use
    cover: float = 0.0251
    document: float = 0.1862
    preferred: float = 0.0542
    # cosine with the normalised (essential + 0.5 x optional) sum of the occupation's skill-label vectors: a title
    # that names a tool or a task ("Kafka developer") leans to occupations that need it
    skills: float = 0.2525
    # a second encoder's best-label and preferred-label cosines (multilingual USE next to MiniLM: a second
    # opinion with other training data; ``TitleNormalizer(second_encoder=...)``)
    second: float = 0.1673
    second_preferred: float = 0.0797
    # on the candidates: some label's first word is the title's first word, some label's head (last) word is
    # the title's last word (a Dice overlap of word sets was measured too: +0.001 acc@1 for 15% of the speed)
    first_word: float = 0.0204
    head_word: float = -0.0193
    # priors from the taxonomy's own structure (no training data): generic occupations with narrower
    # occupations under them and long labels are rarely what a short vacancy title means
    prior_children: float = -0.1317  # × log(1 + number of narrower occupations)
    prior_has_parent: float = -0.0298  # occupation is itself under another occupation
    prior_label_words: float = -0.007  # × words in the preferred label
    prior_skills: float = 0.0228  # × log(1 + number of linked skills)
    prior_alt_labels: float = 0.0141  # × log(1 + number of alternative labels): common occupations have many names
    prior_description_words: float = -0.0343  # × log(1 + words in the description)
    # × wordfreq Zipf frequency in general English of the preferred label, the best and the mean over the English
    # labels, and of the preferred label's rarest word: a common name is a common occupation
    prior_name_frequency: float = -0.0067
    prior_name_frequency_max: float = 0.029
    prior_name_frequency_mean: float = 0.0147
    prior_rarest_word: float = 0.011
    # × log(1 + other occupations of the same ISCO sub-major (2-digit) / unit (4-digit) group with a label that
    # contains every word of the preferred label): a generic name with specialisations under it
    prior_variants_group: float = 0.0605
    prior_variants_unit: float = -0.0696
    # × 1 for the occupation's ISCO major group 0..9 (armed forces and farming are rare in vacancy titles)
    prior_major: tuple[float, ...] = (-0.1142, -0.0127, 0.0218, 0.013, 0.0075, 0.0129, -0.0167, -0.0022, 0.0099, 0.0808)  # fmt: skip
    unasked_manager: float = -0.0813  # managerial occupation for a title without a managerial word
    korean_head: float = 0.0  # occupation in the ISCO major group named by a Korean title's head word (원, 공 ...)
    # late interaction (label tokens -> title tokens, idf²-weighted) for the best ``late_top`` occupations, added
    # to their final score (scale of the fused score); needs an encoder with ``encode_tokens`` (MiniLM)
    late: float = 0.1578
    late_top: int = 40
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def evidence(self) -> float:
        return (
            self.semantic
            + self.bm25
            + self.exact
            + self.cover
            + self.document
            + self.preferred
            + self.skills
            + self.second
            + self.second_preferred
            + self.first_word
            + self.head_word
        )


#: Weights for Korean titles (translated word by word): the glossary's English is plainer than vacancy titles, so
#: the label cosine leads; the second encoder, the first/head-word signals and the late interaction are off. Fitted on
#: half A of the Korean development titles only (``benchmarks/fit_korean_weights.py --nonneg --priors bounded
#: --guard``, "current + coordinate": coordinate ascent on major-group accuracy from the earlier hand-set weights,
#: evidence weights >= 0, priors within +-0.05 of the label cosine's weight, every step kept only when the everyday
#: titles of ``benchmarks/korean_everyday_titles.py`` got no worse); half B is held out (docs/skills.md, "Korean
#: weights on held-out halves"). Scale: the evidence weights sum to 1.
KOREAN_WEIGHTS = TitleWeights(
    semantic=0.6711,
    bm25=0.0537,
    exact=0.1342,
    cover=0.0134,
    document=0.0805,
    preferred=0.0,
    skills=0.047,
    second=0.0,  # USE's own Korean reading: the glossary's English is the better query
    second_preferred=0.0,
    first_word=0.0,
    head_word=0.0,
    prior_children=0.0067,
    prior_has_parent=-0.0067,
    prior_label_words=-0.0067,
    prior_skills=-0.0067,
    prior_alt_labels=0.0,
    prior_description_words=-0.0134,
    prior_name_frequency=0.0134,
    prior_name_frequency_max=-0.0201,
    prior_name_frequency_mean=-0.0134,
    prior_rarest_word=0.0,
    prior_variants_group=0.0134,
    prior_variants_unit=-0.0134,
    prior_major=(),
    unasked_manager=-0.047,
    korean_head=0.1678,
    late=0.0,
)
