"""Skill extraction: ranked taxonomy skills for a free text (Korean, English or mixed), with character spans.

Two signals, fused per skill into a score in 0..1:

* ``explicit``: exact occurrences of any label (preferred or alternative, English or Korean) after tokenization —
  Korean through Kiwi, so particles and compounds do not break matches (파이토치를, 머신러닝과, 딥러닝기반).
  Spans are the character offsets of each occurrence.
* ``semantic``: the text is cut into chunks (lines and sentences, at most ``chunk_tokens`` tokens); each chunk is
  embedded and compared with one embedding per skill label; a skill's semantic score is its best cosine over its
  labels and the chunks, and its span is the best chunk. With a ``multilingual`` encoder, chunks written mostly in
  Hangul are embedded by it and compared with its own vectors of the same labels: an English-only encoder
  (MiniLM) reads Hangul as noise and finds every Korean line close to every Korean label (docs/skills.md).

``via`` says which signal found the skill: ``"explicit"`` (a label or alias occurs in the text, under the context
rules of ``skills/mentions.py``; possibly also semantically close) or ``"semantic"`` (inferred). Every explicit
mention is returned, ranked before anything inferred; ``top`` bounds the list only by cutting inferred skills.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from talentbridge.skills import text_units
from talentbridge.skills.concepts import ConceptIndex
from talentbridge.skills.encoder import EmbeddingCache, Encoder, Progress
from talentbridge.skills.mentions import MentionMatcher
from talentbridge.skills.taxonomy import Taxonomy
from talentbridge.skills.text import Token, check_text, has_hangul, tokens
from talentbridge.skills.windows import WINDOW_CANDIDATES, TokenRows, best_over, window_vectors

__all__ = ["SkillExtractor", "ExtractedSkill", "ExtractionWeights"]

@dataclass(frozen=True)
class ExtractedSkill:
    uri: str
    label: str
    score: float
    spans: list[tuple[int, int]]
    via: str
    #: an explicit mention the text makes only weakly: by one common word ("관리", "design"), or only where another
    #: named skill is named (ranked after the others); False for inferred skills
    weak: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "uri": self.uri,
            "label": self.label,
            "score": round(self.score, 4),
            "spans": [list(s) for s in self.spans],
            "via": self.via,
        }


@dataclass
class ExtractionWeights:
    """Fusion weights; tuned on development data (docs/skills.md)."""

    semantic: float = 0.6
    alias: float = 0.4
    alias_multiword_bonus: float = 0.1  # per extra token of the matched label, up to 2
    # Order of explicit mentions: a linear score fitted as a logistic regression on half A of the explicit-skills
    # development ads (benchmarks/eval_explicit.py; does a mention carry one of the employer's tags?)
    order_count: float = 0.48  # log2(number of mentions)
    order_preferred: float = 0.57  # named by its preferred label
    order_weak: float = -0.18  # only as one common word ("software", "testing")
    order_builtin: float = 0.26  # a concept of the built-in taxonomy (not ESCO-only)
    order_tool: float = 0.27  # type tool
    order_knowledge: float = 0.71  # type knowledge
    order_position: float = 0.68  # first mention's offset / text length
    order_opening: float = 0.68  # first mention in the first 150 characters (the title, the opening line)
    order_multiword: float = 0.01  # the longest matched label has several tokens
    order_capitals: float = 0.99  # written with a capital letter somewhere ("Docker", "SQL", "iOS")
    min_semantic: float = 0.35  # semantic-only skills below this cosine are not reported
    window: float = 0.4  # weight of the best short-window cosine (only when window_sizes is set)
    extra: dict[str, float] = field(default_factory=dict)


class SkillExtractor:
    """Extract skills of ``taxonomy`` from texts.

    ``encoder=None`` gives alias matching only. ``multilingual`` (used only with an ``encoder``) embeds the chunks
    written mostly in Hangul. Label embeddings are computed on first use (``prepare``), cached on disk in ``cache``
    when given. Thread-safe for concurrent ``extract`` calls once prepared.
    """

    def __init__(
        self,
        taxonomy: Taxonomy,
        encoder: Encoder | None = None,
        cache: EmbeddingCache | None = None,
        weights: ExtractionWeights | None = None,
        chunk_tokens: int = 48,
        max_chars: int = 100_000,
        window_sizes: tuple[int, ...] = (2, 4),
        window_mode: str = "pooled",
        workers: int = 1,
        multilingual: Encoder | None = None,
    ) -> None:
        self.taxonomy = taxonomy
        self.encoder = encoder
        self.multilingual = multilingual if encoder is not None else None
        self._multilingual_index: ConceptIndex | None = None
        self.cache = cache
        self.weights = weights or ExtractionWeights()
        self.chunk_tokens = chunk_tokens
        self.max_chars = max_chars
        # Short token windows localise skills inside long sentences (docs/skills.md). "pooled": each window is the
        # mean of the chunk's contextual token vectors inside it (no extra forward pass; skills/windows.py), with
        # an encoder that gives token vectors (MiniLM), else no windows; "encoded": each window encoded on its own
        # (~15 extra encodings per sentence, 4-7x slower, any encoder).
        if window_mode not in ("pooled", "encoded"):
            raise ValueError(f"window_mode: 'pooled' or 'encoded', not {window_mode!r}")
        self.window_sizes = tuple(window_sizes)
        self.window_mode = window_mode
        self.workers = workers
        # Texts per block handed to a worker, and chunks per product with the label matrix (bounds memory: the
        # cosines of one block are block_units x 4096 floats, the per-concept maxima block_units x n_concepts).
        self.block_texts = 64
        self.block_units = 256
        self.index = ConceptIndex(list(taxonomy.skills.values()))
        self.mentions = MentionMatcher(
            self.index.lexicon,
            self.index.label_pairs,
            _curated_labels(self.index, taxonomy.operator_aliases),
            builtin=[i for i, c in enumerate(self.index.concepts) if getattr(c, "builtin", False)],
        )
        self._prepared = encoder is None

    def prepare(self, progress: Progress | None = None) -> None:
        """Embed the skill labels (once; from the disk cache when present)."""
        if not self._prepared and self.encoder is not None:
            self.index.embed_labels(self.encoder, self.cache, progress)
            if self.multilingual is not None:
                self._multilingual_index = self.index.embedded_copy(self.multilingual, self.cache, progress)
        self._prepared = True

    # ------------------------------------------------------------------------------------------ extraction

    def extract(self, text: str, top: int = 10, min_inferred: int = 0) -> list[ExtractedSkill]:
        """Ranked skills of one text: every explicit mention first (``via="explicit"``, never cut), then the best
        inferred skills (``via="semantic"``) up to ``top`` in all, at least ``min_inferred`` of them when there
        are. Empty text gives ``[]``.

        Raises ``InputTooLarge`` for a text over ``max_chars`` characters.
        """
        return self.extract_many([text], top=top, min_inferred=min_inferred)[0]

    def extract_many(
        self, texts: Sequence[str], top: int = 10, workers: int | None = None, min_inferred: int = 0
    ) -> list[list[ExtractedSkill]]:
        """``extract`` for several texts; their chunks are encoded and compared with the labels in batches.

        ``workers`` (default ``self.workers``) threads share the texts in blocks of ``block_texts``; numpy
        releases the GIL in the encoder and the label products, so two workers use two cores. Results do not
        depend on ``workers``.
        """
        for text in texts:
            check_text(text, self.max_chars)
        self.prepare()
        workers = self.workers if workers is None else workers
        blocks = text_units.blocks(texts, self.block_texts, max(1, workers))
        if workers <= 1 or len(blocks) <= 1:
            return [skills for block in blocks for skills in self._extract_block(block, top, min_inferred)]
        with ThreadPoolExecutor(max_workers=min(workers, len(blocks))) as pool:
            done = list(pool.map(lambda block: self._extract_block(block, top, min_inferred), blocks))
        return [skills for block in done for skills in block]

    def _extract_block(self, texts: Sequence[str], top: int, min_inferred: int = 0) -> list[list[ExtractedSkill]]:
        toks_per_text = [tokens(t) if t and t.strip() else [] for t in texts]
        chunks_per_text = [text_units.chunks(t, toks, self.chunk_tokens) for t, toks in zip(texts, toks_per_text, strict=True)]
        hangul_chunks: list[list[tuple[int, int]]] = []
        if self._multilingual_index is not None:
            split = [text_units.by_script(t, units) for t, units in zip(texts, chunks_per_text, strict=True)]
            chunks_per_text = [latin for latin, _ in split]
            hangul_chunks = [hangul for _, hangul in split]
        sem_per_text: list[_Semantic | None] = [None] * len(texts)
        pooled = self._pooled_windows()
        token_rows: list[TokenRows] = []
        if self.encoder is not None and self.weights.semantic:
            if pooled:
                vectors, token_rows = self._encode_chunks_with_tokens(texts, chunks_per_text)
            else:
                vectors = self._encode_units(texts, chunks_per_text)
            for i, found in enumerate(self._best_per_text(vectors, [len(c) for c in chunks_per_text])):
                if found is not None:
                    sem_per_text[i] = _Semantic(found[0], found[1], chunks_per_text[i])
            if any(hangul_chunks):
                self._add_multilingual(texts, hangul_chunks, sem_per_text)
        if pooled and token_rows:
            for i, sem in enumerate(sem_per_text):
                if sem is not None:
                    windows = self._windows_in(texts[i], toks_per_text[i], chunks_per_text[i])
                    self._add_pooled_windows(windows, sem, token_rows[i])
        elif (
            any(s is not None for s in sem_per_text)
            and self.window_mode == "encoded"
            and self.window_sizes
            and self.weights.window
        ):
            # windows only for texts with semantic evidence from their chunks, and only where the encoder reads
            windows_per_text = [
                self._windows_in(text, toks, chunks) if sem is not None else []
                for text, toks, chunks, sem in zip(texts, toks_per_text, chunks_per_text, sem_per_text, strict=True)
            ]
            vectors = self._encode_units(texts, windows_per_text)
            ratio = self.weights.window / self.weights.semantic
            for i, found in enumerate(self._best_per_text(vectors, [len(w) for w in windows_per_text])):
                sem = sem_per_text[i]
                if sem is not None and found is not None:
                    # fused semantic evidence; the span is the window when it beats every chunk
                    win_best, win_row = found
                    use_win = win_best > sem.best
                    sem.where = np.where(use_win, win_row + len(sem.units), sem.where)
                    sem.units = sem.units + windows_per_text[i]
                    sem.best = sem.best + ratio * win_best
        return [self._rank(texts[i], toks_per_text[i], sem_per_text[i], top, min_inferred) for i in range(len(texts))]

    def _add_multilingual(
        self, texts: Sequence[str], chunks: list[list[tuple[int, int]]], sem_per_text: list[_Semantic | None]
    ) -> None:
        """Fuse the evidence of the chunks written mostly in Hangul, embedded by the multilingual encoder, into
        ``sem_per_text`` (the best cosine per concept over all chunks; the span is the chunk giving it)."""
        assert self.multilingual is not None and self._multilingual_index is not None
        flat = [t[a:b] for t, units in zip(texts, chunks, strict=True) for a, b in units]
        vectors = self.multilingual.encode(flat)
        found_per_text = self._best_per_text(vectors, [len(c) for c in chunks], self._multilingual_index)
        for i, found in enumerate(found_per_text):
            if found is None:
                continue
            sem = sem_per_text[i]
            if sem is None:
                sem_per_text[i] = _Semantic(found[0], found[1], chunks[i])
                continue
            better = found[0] > sem.best
            sem.best = np.where(better, found[0], sem.best)
            sem.where = np.where(better, found[1] + len(sem.units), sem.where)
            sem.units = sem.units + chunks[i]

    def _pooled_windows(self) -> bool:
        return bool(
            self.window_mode == "pooled"
            and self.window_sizes
            and self.weights.window
            and hasattr(self.encoder, "encode_tokens")
            and hasattr(self.encoder, "piece_spans")
        )

    def _encode_chunks_with_tokens(
        self, texts: Sequence[str], chunks: list[list[tuple[int, int]]]
    ) -> tuple[np.ndarray, list[TokenRows]]:
        """The chunks' vectors (the same numbers as ``_encode_units``) and, per text, its token vectors."""
        encoder = self.encoder
        assert encoder is not None
        flat = [(i, a, t[a:b]) for i, (t, units) in enumerate(zip(texts, chunks, strict=True)) for a, b in units]
        if not flat:
            return np.zeros((0, encoder.dim), dtype=np.float32), []
        vectors, token_vectors, _ = encoder.encode_tokens([c for _, _, c in flat])  # type: ignore[attr-defined]
        parts: list[list[tuple[int, np.ndarray, list[tuple[int, int]] | None]]] = [[] for _ in texts]
        for (i, a, chunk), tv in zip(flat, token_vectors, strict=True):
            parts[i].append((a, tv, encoder.piece_spans(chunk)))  # type: ignore[attr-defined]
        return vectors, [TokenRows.of_chunks(encoder.dim, p) for p in parts]

    def _add_pooled_windows(self, windows: list[tuple[int, int]], sem: _Semantic, rows: TokenRows) -> None:
        """Fuse the best pooled-window cosine into ``sem`` for the ``WINDOW_CANDIDATES`` concepts the chunks rank
        best (the rest stay below them); the span is the window when it beats every chunk."""
        vectors, kept = window_vectors(rows, windows)
        if not len(kept):
            return
        k = min(WINDOW_CANDIDATES, len(sem.best))
        concepts = np.argpartition(-sem.best, k - 1)[:k]
        best, row = best_over(self.index, vectors, concepts)
        ratio = self.weights.window / self.weights.semantic
        kept_windows = [windows[j] for j in kept.tolist()]
        use = best > sem.best[concepts]
        sem.where[concepts[use]] = row[use] + len(sem.units)
        sem.units = sem.units + kept_windows
        sem.best = sem.best.copy()
        sem.best[concepts] += ratio * np.maximum(best, 0.0)

    def _encode_units(self, texts: Sequence[str], ranges: list[list[tuple[int, int]]]) -> np.ndarray:
        assert self.encoder is not None
        flat = [t[a:b] for t, units in zip(texts, ranges, strict=True) for a, b in units]
        return self.encoder.encode(flat) if flat else np.zeros((0, self.encoder.dim), dtype=np.float32)

    def _best_per_text(
        self, vectors: np.ndarray, counts: list[int], index: ConceptIndex | None = None
    ) -> list[tuple[np.ndarray, np.ndarray] | None]:
        """Per text, the best cosine per concept over its units and the index of the unit giving it (``None``
        for a text without units); the label products take at most ``block_units`` units at a time. ``index``:
        the label vectors of the encoder that gave ``vectors`` (default: the main encoder's)."""
        index = self.index if index is None else index
        out: list[tuple[np.ndarray, np.ndarray] | None] = [None] * len(counts)
        if not len(vectors):
            return out
        owner = np.repeat(np.arange(len(counts)), counts)
        first = np.concatenate([[0], np.cumsum(counts)])
        for a in range(0, len(vectors), self.block_units):
            rows = owner[a : a + self.block_units]
            starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
            best, where = index.best_scores(vectors[a : a + len(rows)], starts)
            for g, i in enumerate(rows[starts].tolist()):
                where_in_text = where[g] + (a + int(starts[g]) - int(first[i]))
                prev = out[i]
                if prev is None:
                    out[i] = (best[g], where_in_text)
                else:  # a text longer than one block: keep the earlier unit on ties, as argmax does
                    better = best[g] > prev[0]
                    out[i] = (np.where(better, best[g], prev[0]), np.where(better, where_in_text, prev[1]))
        return out

    def _windows_in(self, text: str, toks: list[Token], chunks: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Windows inside each chunk the main encoder reads (never across a line or a chunk break), none over
        Hangul: MiniLM reads English only, and the pieces it makes of a Hangul word pool into a vector near random
        labels (the window "배포\n기술", across two lines of a résumé, was read as *Human resources management*
        with the top score)."""
        return [
            (a, b)
            for inner in text_units.per_unit(toks, chunks)
            for a, b in self._windows(inner)
            if not has_hangul(text[a:b])
        ]

    def _windows(self, toks: list[Token]) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for size in self.window_sizes:
            if len(toks) <= size:
                continue
            for a in range(0, len(toks) - size + 1, max(1, size // 2)):
                out.append((toks[a].start, toks[a + size - 1].end))
        return out

    def _rank(
        self, text: str, toks: list[Token], sem: _Semantic | None, top: int, min_inferred: int
    ) -> list[ExtractedSkill]:
        if not toks or top <= 0:
            return []
        w = self.weights
        alias_spans: dict[int, list[tuple[int, int]]] = {}
        alias_strength: dict[int, float] = {}
        strong: set[int] = set()
        best_weight: dict[int, float] = {}
        longest: dict[int, int] = {}
        for m in self.mentions.find(text, toks):
            alias_spans.setdefault(m.concept, []).append((m.start, m.end))
            best_weight[m.concept] = max(best_weight.get(m.concept, 0.0), m.weight)
            longest[m.concept] = max(longest.get(m.concept, 0), m.n_tokens)
            if not m.weak:
                strong.add(m.concept)
            strength = m.weight * (1.0 + w.alias_multiword_bonus * min(m.n_tokens - 1, 2))
            if strength > alias_strength.get(m.concept, 0.0):
                alias_strength[m.concept] = strength
        n_explicit = len(alias_strength)
        n_inferred = max(top - n_explicit, min_inferred, 0)
        cand = list(alias_strength)
        if sem is not None and n_inferred:
            k = min(max((n_inferred + n_explicit) * 3, 30), len(sem.best))
            near = np.argpartition(-sem.best, k - 1)[:k]
            cand += [j for j in near[sem.best[near] >= w.min_semantic].tolist() if j not in alias_strength]
        if not cand:
            return []
        concepts = np.asarray(cand, dtype=np.int64)
        score = np.zeros(len(cand), dtype=np.float32)
        score[:n_explicit] = [w.alias * min(alias_strength[j], 1.2) for j in alias_strength]
        raw = sem.best[concepts] if sem is not None else score.copy()
        if sem is not None:
            score += w.semantic * np.clip(raw, 0.0, 1.0)
        # explicit mentions first (all of them), ranked by how often and how strongly the text names them;
        # then the best inferred skills. Fused window evidence often exceeds 1 and is clipped, so ties go to the
        # stronger raw semantic evidence, then to concept order.
        explicit = np.zeros(len(cand), dtype=np.float32)
        if n_explicit:
            n_chars = max(len(text), 1)
            for i, j in enumerate(alias_strength):
                spans = alias_spans[j]
                first = min(a for a, _ in spans)
                concept = self.index.concepts[j]
                explicit[i] = (
                    10.0  # above every inferred skill
                    + w.order_count * np.log2(len(set(spans)))
                    + w.order_preferred * (best_weight[j] >= 1.0)
                    + w.order_weak * (j not in strong)
                    + w.order_builtin * bool(getattr(concept, "builtin", False))
                    + w.order_tool * (getattr(concept, "type", "") == "tool")
                    + w.order_knowledge * (getattr(concept, "type", "") == "knowledge")
                    + w.order_position * first / n_chars
                    + w.order_opening * (first < 150)
                    + w.order_multiword * (longest[j] > 1)
                    + w.order_capitals * any(text[a:b] != text[a:b].lower() for a, b in spans)
                )
        order = np.lexsort((concepts, -raw, -score, -explicit))
        named = order[explicit[order] > 0]
        # a concept named only where a better-ranked one is named too ("CSS" for *CSS* and for *style sheet
        # languages*) follows the other explicit mentions instead of taking a place among the first ones
        covered: set[tuple[int, int]] = set()
        first_pass, echoes = [], []
        # a concept named only by one common word inside a longer name ("Computer" in "Computer Science",
        # "management" in "project management") follows too: the longer name is what the text names
        longer = sorted({s for j in alias_spans for s in alias_spans[j]}) if len(strong) < n_explicit else []
        # and so does an ESCO-only concept named only where a built-in one is named: "Spark" is *Apache Spark*
        # before it is ESCO's *SPARK* (an Ada dialect), "Transformers" *Transformer architecture* before
        # *electrical machines*
        builtin_spans = {
            s for j in alias_spans if getattr(self.index.concepts[j], "builtin", False) for s in alias_spans[j]
        }
        for i in named.tolist():
            spans = set(alias_spans[cand[i]])
            nested = cand[i] not in strong and all(text_units.inside_longer(span, longer) for span in spans)
            shadowed = not getattr(self.index.concepts[cand[i]], "builtin", False) and spans <= builtin_spans
            (echoes if spans <= covered or nested or shadowed else first_pass).append(i)
            if not shadowed:  # the built-in concept that shadows it takes those places
                covered |= spans
        weak_named = {cand[i] for i in echoes} | (set(alias_strength) - strong)
        named = np.asarray(first_pass + echoes, dtype=np.int64)
        order = np.concatenate([named, order[explicit[order] == 0][:n_inferred]])
        ranked = concepts[order]
        scores = np.clip(score[order], 0.0, 1.0).tolist()
        where = sem.where[ranked].tolist() if sem is not None else []
        out: list[ExtractedSkill] = []
        for r, j in enumerate(ranked.tolist()):
            if j in alias_spans:
                spans = sorted(set(alias_spans[j]))
                via = "explicit"
            else:
                assert sem is not None
                spans = [sem.units[where[r]]]
                via = "semantic"
            out.append(
                ExtractedSkill(self.index.uris[j], self.index.display[j], scores[r], spans, via, j in weak_named)
            )
        return out


def _curated_labels(index: ConceptIndex, operator_aliases: dict[str, list[str]]) -> set[tuple[int, str]]:
    """(concept index, label key) of the one-word labels the built-in taxonomy's own files give each concept (not
    those a merge with ESCO added) and of the aliases operators added."""
    from talentbridge.skills.builtin import load_builtin_lenient
    from talentbridge.skills.text import label_key

    builtin, _ = load_builtin_lenient()
    position = {c.id: i for i, c in enumerate(index.concepts)}
    out: set[tuple[int, str]] = set()
    for skill in builtin.skills.values():
        i = position.get(skill.id)
        if i is not None:
            out.update((i, label_key(label)) for label in skill.labels() if len(label.split()) == 1)
    for skill_id, labels in operator_aliases.items():
        i = position.get(skill_id)
        if i is not None:
            out.update((i, label_key(label)) for label in labels)
    return out


@dataclass
class _Semantic:
    """Semantic evidence of one text: per concept the best (fused) cosine and the unit (chunk or window) that
    gave it."""

    best: np.ndarray  # (n_concepts,) float
    where: np.ndarray  # (n_concepts,) index into units
    units: list[tuple[int, int]]  # character ranges: the chunks, then the windows
