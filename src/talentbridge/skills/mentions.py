"""Explicit skill mentions: where a text names a skill outright, by a label or an alias, in any script mix.

``MentionMatcher.find(text, toks)`` returns, per concept, the character spans where one of its labels occurs.
Two passes, unioned:

* **tokens** — the label index over ``text.tokens`` (Latin words with tech spellings kept whole: ``c++``, ``c#``,
  ``.net``, ``node.js``, ``asp.net``; Korean morphemes through Kiwi, so particles drop out: ``도커를`` →
  ``도커``, ``파이토치 기반`` → ``파이토치`` ``기반``);
* **Hangul surface** — every Hangul label (spaces ignored) found at the start of a Hangul word in the raw text,
  so a transliteration that Kiwi cuts differently in context (``텐서플로우로``, ``쿠버네티스환경``) is still
  found; a shorter label nested at the same start inside a longer one (``자바`` in ``자바스크립트``) is dropped.

A piece of a word inside a longer mention of another skill is dropped too (``RT`` of ``텐서RT``, ``전자`` of
``전자정부 프레임워크``, ``개발`` of ``연구개발``); a whole word inside a longer name stays (``SQL`` in ``SQL Server``).

Context rules keep ordinary words from being read as tools: a label whose key is at most two letters (``Go``,
``R``, ``C``, ``IT``, ``AI``) or an English word that is also a tool name (``Swift``, ``Rust``, ``Spark``,
``Access``, ``Spring``) must be written with a capital letter and not open a sentence unless it sits in a list;
single letters (``C``, ``R``, ``D``) must also sit in a list (``C/C++``, ``Python, R``) or before a word such as
*language* / *언어*.

Pure: standard library only; nothing happens at import time.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from talentbridge.skills.lexicon import ENGLISH_STOPWORDS, LabelIndex, LabelMatch
from talentbridge.skills.text import Token, english_key

__all__ = ["Mention", "MentionMatcher", "AMBIGUOUS_WORDS"]

#: English words that are also names of tools or languages: matched only when capitalized in the text.
_AMBIGUOUS = """go swift rust spark access excel word teams spring express flask chef puppet ant make hive pig storm beam
    dart julia shell ruby glue lambda compass sketch zoom slack notion dash bootstrap foundation material unity
    basic logo scheme elm crystal mercury react node next nest power project outlook sage maya nuke helm consul
    vault nomad packer envoy electron ionic meteor ember backbone jest mocha gulp grunt fish elastic gatsby
    prophet airflow keystone ace alpine arrow bamboo bazel buck couch dagger delta falcon feather flume
    ghost harbor hugo iris jasmine kind knife lighthouse lit marathon mesos mint nova okta pulsar quartz
    rancher salt sentry sonar spinnaker tempo thanos trello turbo vagrant vertex wave yarn zookeeper doors apex
    houdini aurora kinesis combine ray arm"""
AMBIGUOUS_WORDS = frozenset(_AMBIGUOUS.split())

#: Words after a one-letter name that say it is a language ("C language", "R 언어").
_LANGUAGE_WORDS = ("language", "programming", "lang", "언어", "프로그래밍", "코드", "code")
#: Zipf frequency (wordfreq) from which a one-word label is a common word: "data" 5.3, "hardware" 4.3 are;
#: "consulting" 4.1, "Java" 4.0, "Python" 3.8, "Docker" 3.0 are not.
COMMON_ZIPF = 4.2
_KO_GENERIC = """개발 관리 분석 설계 기술 교육 연구 운영 영업 마케팅 경영 기획 디자인 품질 생산 제조 유지보수 보안 데이터 서비스
    시스템 소프트웨어 하드웨어 네트워크 인프라 영어 컴퓨터 테스트 문서 협업 소통 리더십 프로젝트 고객 판매 회계 재무
    인사 채용 구매 물류 안전 건설 전기 전자 기계 통신 웹 모바일 앱 강의 교수 상담 지원 자동화 통합 성능"""
_KO_COMMON = frozenset(_KO_GENERIC.split())
#: Generic industry words that end Korean company names (LG전자, 한국전기, 현대건설): glued to the word before them
#: they name an employer, not a field of work
_KO_NAME_ENDINGS = frozenset(("전자", "전기", "기계", "통신", "건설"))
_LIST_SEPARATORS = ",/;|()[]{}·、"
_BULLETS = "-*•▪●■◦▶>"
_HANGUL_RE = re.compile(r"[\uac00-\ud7a3]")
# where two words meet without a space: "excel|Previous", "Sidekiq|Excellent", "DB|Basic" (a capitalised word of
# three letters or more after a lower-case letter or after two capitals)
_GLUE = re.compile(r"(?:(?<=[a-z]{2})|(?<=[A-Z]{2}))(?=[A-Z][a-z]{2})")
_SENTENCE_START = re.compile(r"(^|[.!?\n•·▪●■◦\-*:]\s*)$")


@dataclass(frozen=True, slots=True)
class Mention:
    concept: int
    start: int
    end: int
    n_tokens: int
    weight: float  # 1.0 preferred label, lower for an alternative label
    weak: bool = False  # one common word ("software", "testing"): explicit, but ranked after specific mentions


def _is_hangul_word_start(text: str, i: int) -> bool:
    if _HANGUL_RE.match(text[i]):
        return i == 0 or not _HANGUL_RE.match(text[i - 1])
    return i == 0 or not text[i - 1].isalnum()  # a mixed label opening with Latin ("AWS 글루"): a word start


def _names_a_company(text: str, start: int, end: int) -> bool:
    """An industry word glued to the word before it ends a company's name ("LG전자", "한빛전자", "현대건설"): it
    names an employer, not a field of work."""
    return text[start:end] in _KO_NAME_ENDINGS and start > 0 and text[start - 1].isalnum()


#: A foundation's name that is also a label of its best-known product: "Apache" (the web server) alone, or in
#: "Apache, Nginx 운영"; not in "Apache Spark", "아파치 카프카", "Apache Pulsar" (another of its projects).
_VENDOR_WORDS = frozenset(("apache", "아파치"))
_PROJECT_NAME = re.compile(r"[A-Z][\w.+#-]*")


def _without_vendor_prefixes(text: str, mentions: list[Mention]) -> list[Mention]:
    """``mentions`` without a bare vendor word (``_VENDOR_WORDS``) that opens the name of another product: another
    skill's mention starts with it or is the capitalised or Hangul word right after it ("Apache Kafka", "아파치
    스파크"), or any capitalised word follows it ("Apache Pulsar", a project the taxonomy may not know). Its own
    longer names ("Apache HTTP Server", "Apache Tomcat") keep it, and so does a lower-case word after it ("Apache
    web 서버")."""
    if not any(text[m.start : m.end].lower() in _VENDOR_WORDS for m in mentions):
        return mentions
    out = []
    for m in mentions:
        if text[m.start : m.end].lower() in _VENDOR_WORDS:
            own = any(o.concept == m.concept and o.start <= m.start and o.end > m.end for o in mentions)
            gap = len(text[m.end : m.end + 8]) - len(text[m.end : m.end + 8].lstrip(" \t-"))
            after = m.end + gap
            other = any(
                o.concept != m.concept
                and (
                    (o.start == m.start and o.end > m.end)  # "Apache Kafka" as one label
                    or (gap and o.start == after and (text[after].isupper() or bool(_HANGUL_RE.match(text[after]))))
                )
                for o in mentions
            )
            if not own and (other or (gap and _PROJECT_NAME.match(text, after))):
                continue
        out.append(m)
    return out


def _without_word_pieces(text: str, mentions: list[Mention]) -> list[Mention]:
    """``mentions`` (sorted by start) without those that are a piece of a word inside a longer mention of another
    skill: ``RT`` in ``텐서RT`` (*TensorRT*), ``전자`` in ``전자정부 프레임워크`` (*Spring*), ``데이터`` in ``데이터분석``.
    A whole word inside a longer name stays (``SQL`` in ``SQL Server``), and so does a Latin word glued to another
    Latin word where a line break was lost (``CSS`` in ``HTML/CSSJavaScript``): only Hangul makes one word here."""

    def piece(m: Mention) -> bool:
        before = text[m.start - 1] if m.start else ""
        after = text[m.end] if m.end < len(text) else ""
        # a word goes on before it (``텐서|RT``, ``SW|개발``), or a Hangul word goes on after it (``전자|정부``); a
        # particle after a Latin word (``API|를``, ``Spark|경험``) leaves the word whole
        return (before.isalnum() and bool(_HANGUL_RE.match(before) or _HANGUL_RE.match(text[m.start]))) or (
            after.isalnum() and bool(_HANGUL_RE.match(text[m.end - 1]))
        )

    if not any(piece(m) for m in mentions):
        return mentions
    starts = [m.start for m in mentions]

    def covered(m: Mention) -> bool:
        """A longer mention of another skill starting at or before this one (sorted by start) covers it."""
        return any(
            o.concept != m.concept and o.end >= m.end and o.end - o.start > m.end - m.start
            for o in mentions[: bisect_right(starts, m.start)]
        )

    return [m for m in mentions if not (piece(m) and covered(m))]


def _fold(text: str) -> str:
    """Lower case, one character for one (offsets kept)."""
    low = text.lower()
    if len(low) == len(text):
        return low  # nearly always: only a few letters ("İ") grow when lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


class MentionMatcher:
    """Explicit mentions of the concepts behind ``index`` (see the module docstring).

    ``labels`` are the same ``(label, weight)`` pairs per concept the index was built from; the Hangul pass uses
    them. Build cost: one pass over the labels.
    """

    def __init__(
        self,
        index: LabelIndex,
        labels: Sequence[Sequence[tuple[str, float]]],
        curated: Collection[tuple[int, str]] | None = None,
        common_zipf: float = COMMON_ZIPF,
        builtin: Collection[int] = (),
    ) -> None:
        self.index = index
        # (concept, label key) pairs written for the built-in taxonomy; a one-word label that is a common word
        # ("design", "security", "team") counts as a (weak) mention only when it is one of these, never when it
        # comes from elsewhere (ESCO's alternative labels: "design" for *think creatively*)
        self.curated = curated
        # concepts of the built-in taxonomy: their several-word labels are trusted as written ("IT support")
        self.builtin = frozenset(builtin)
        self.common_zipf = common_zipf
        self._zipf_cache: dict[str, float] = {}
        # labels the label index leaves out: one letter ("C", "R") and acronyms that spell a stopword ("IT")
        self._letters: dict[str, list[tuple[int, float]]] = {}
        self._acronyms: dict[str, list[tuple[int, float]]] = {}
        # Hangul labels (and mixed ones the label index leaves out) by their first character: (label without
        # spaces, concept, weight)
        self._hangul: dict[str, list[tuple[str, int, float]]] = {}
        for concept, pairs in enumerate(labels):
            for label, weight in pairs:
                squeezed = "".join(label.split())
                if len(squeezed) == 1 and squeezed.isascii() and squeezed.isalpha():
                    self._letters.setdefault(squeezed.lower(), []).append((concept, weight))
                    continue
                if squeezed.isascii() and squeezed.isupper() and squeezed.lower() in ENGLISH_STOPWORDS:
                    self._acronyms.setdefault(squeezed, []).append((concept, weight))
                    continue
                if len(squeezed) < 2 or not _HANGUL_RE.match(squeezed[0]):
                    continue
                if not all(_HANGUL_RE.match(c) for c in squeezed):
                    continue  # mixed labels ("C++ 언어", "R언어") are left to the token pass
                self._hangul.setdefault(squeezed[0], []).append((squeezed, concept, weight))
        for concept, label, weight in index.partial:
            # mixed labels the label index leaves out ("AWS 글루", "온디바이스 AI": read in part) are found here as
            # written, case folded (all-Hangul ones are here already)
            folded = _fold("".join(label.split()))
            if not all(_HANGUL_RE.match(c) for c in folded):
                self._hangul.setdefault(folded[0], []).append((folded, concept, weight))
        for entries in self._hangul.values():
            entries.sort(key=lambda e: -len(e[0]))

    def find(self, text: str, toks: Sequence[Token]) -> list[Mention]:
        """Every explicit mention in ``text`` (tokens ``toks``), left to right; overlaps between concepts kept."""
        toks = self._unglued(text, toks)
        out: list[Mention] = []
        seen: set[tuple[int, int, int]] = set()
        key_at = {(t.start, t.end): t.key for t in toks}
        starts = [t.start for t in toks]
        for m in self.index.find(toks):
            if not self._plausible(text, toks, m.start, m.end, m.n_tokens):
                continue
            if m.n_tokens > 1 and self._split_on_small_word(toks, starts, m):
                continue
            key = (m.concept, m.start, m.end)
            if key in seen:
                continue
            weak = False
            if m.n_tokens == 1:
                word = key_at.get((m.start, m.end), "")
            elif m.concept in self.builtin:
                word = ""
            else:  # "and procedures" (ESCO): one content word among stopwords is judged as that word
                i = bisect_left(starts, m.start)
                content = [t.key for t in toks[i : i + m.n_tokens] if t.key not in ENGLISH_STOPWORDS]
                word = content[0] if len(content) == 1 else ""
            # the key is stemmed ("processes" -> "processe"): judge the written word as well
            surface = text[m.start : m.end].lower() if m.n_tokens == 1 else word
            if word and (self._common(word) or self._common(surface)):
                if self.curated is not None and (m.concept, word) not in self.curated:
                    continue  # a common word from elsewhere (ESCO's "design" for *think creatively*)
                weak = True
            seen.add(key)
            out.append(Mention(m.concept, m.start, m.end, m.n_tokens, m.weight, weak))
        if self._letters or self._acronyms:
            for t in toks:
                surface = text[t.start : t.end]
                hits = self._letters.get(t.key, ()) if len(t.key) == 1 else self._acronyms.get(surface, ())
                for concept, weight in hits:
                    if self._plausible(text, toks, t.start, t.end, 1):
                        seen.add((concept, t.start, t.end))
                        out.append(Mention(concept, t.start, t.end, 1, weight))
        for mention in self._hangul_mentions(text):
            key = (mention.concept, mention.start, mention.end)
            if key not in seen:
                seen.add(key)
                out.append(mention)
        out.sort(key=lambda m: (m.start, m.end, m.concept))
        kept = [m for m in _without_word_pieces(text, out) if not _names_a_company(text, m.start, m.end)]
        return _without_vendor_prefixes(text, kept)

    def _unglued(self, text: str, toks: Sequence[Token]) -> Sequence[Token]:
        """``toks`` with words glued together where a line break was lost ("Docker, KubernetesRequirements",
        "MySQLPostgreSQL") cut apart again; a word that is itself a label ("PyTorch", "JavaScript") stays whole."""
        if not _GLUE.search(text):
            return toks
        out: list[Token] = []
        for t in toks:
            surface = text[t.start : t.end]
            if t.korean or not _GLUE.search(surface) or self.index.lookup(t.key):
                out.append(t)
                continue
            cuts = [0, *(m.start() for m in _GLUE.finditer(surface)), len(surface)]
            i = 0
            while i < len(cuts) - 1:
                # the longest run of pieces that is a label stays whole: "JavaScript|Strong", not "Java|Script"
                j = next(
                    (
                        j
                        for j in range(len(cuts) - 1, i + 1, -1)
                        if self.index.lookup(english_key(surface[cuts[i] : cuts[j]]))
                    ),
                    i + 1,
                )
                out.append(Token(english_key(surface[cuts[i] : cuts[j]]), t.start + cuts[i], t.start + cuts[j]))
                i = j
        return out

    def _split_on_small_word(self, toks: Sequence[Token], starts: list[int], m: LabelMatch) -> bool:
        """Several words of the text meet a label written with fewer words only by gluing on a stopword or a
        single letter: "a Sr" is not *ASR*, "in to" not *Into* (while "data base" is *database*, "Power BI"
        *PowerBI*)."""
        i = bisect_left(starts, m.start)
        while i < len(toks) and toks[i].start == m.start:  # Kiwi can give two morphemes one start
            part = toks[i : i + m.n_tokens]
            if len(part) == m.n_tokens and part[-1].end == m.end:
                if m.n_tokens in self.index.label_lengths("".join(t.key for t in part)):
                    return False
                return any(not t.korean and (t.key in ENGLISH_STOPWORDS or len(t.key) == 1) for t in part)
            i += 1
        return False

    def _common(self, word: str) -> bool:
        """A common word of general English or Korean (wordfreq Zipf frequency at least ``common_zipf``); a word with
        anything but letters in it is a name, never common."""
        hit = self._zipf_cache.get(word)
        if hit is None:
            if not word.isalpha():  # "c++", "c#", ".net", "3d": wordfreq reads only their letters ("c", "net")
                hit = 0.0
            elif _HANGUL_RE.search(word):  # wordfreq's Korean needs MeCab: a short list of generic words instead
                hit = 9.0 if word in _KO_COMMON else 0.0
            else:
                from wordfreq import zipf_frequency

                hit = zipf_frequency(word, "en")
            if len(self._zipf_cache) < 100_000:
                self._zipf_cache[word] = hit
        return hit >= self.common_zipf

    # -- context rules ---------------------------------------------------------------------------------------

    def _plausible(self, text: str, toks: Sequence[Token], start: int, end: int, n_tokens: int) -> bool:
        surface = text[start:end]
        if n_tokens > 1 or _HANGUL_RE.search(surface):
            return True
        letters = "".join(c for c in surface if c.isalpha())
        low = letters.lower()
        short = len(surface) <= 2 and not any(c in surface for c in "+#.")
        if not short and low not in AMBIGUOUS_WORDS:
            return True
        if not any(c.isupper() for c in letters):
            return False  # "go", "it", "spark", "access" written as ordinary words
        in_list = self._in_list(text, start, end)
        if len(surface) == 1:
            return in_list or self._before_language_word(text, end)
        if short and letters.isupper():
            return True  # "IT", "AI", "ML", "QA": acronyms
        if in_list or self._beside_hangul(text, start, end):
            return True  # a capitalised English word in Korean text is a term ("Spark 경험", "Go 언어")
        return not self._opens_sentence(text, start)

    @staticmethod
    def _in_list(text: str, start: int, end: int) -> bool:
        before = text[max(0, start - 3) : start].rstrip()
        after = text[end : end + 3].lstrip()
        if before and (before[-1] in _LIST_SEPARATORS or before[-1] in _BULLETS):
            return True  # "Python, Go", "- Spark" (a bulleted list)
        if after and after[0] in _LIST_SEPARATORS:
            return True
        if after and after[0] in _BULLETS and "\n" in text[end : end + 3]:
            return True  # the first item of a bulleted list: "Spark\n- Python"
        words_before = text[max(0, start - 5) : start].lower().split()
        words_after = text[end : end + 5].lower().split()
        joiners = {"and", "or", "및", "또는", "와", "과"}
        return bool((words_before and words_before[-1] in joiners) or (words_after and words_after[0] in joiners))

    @staticmethod
    def _beside_hangul(text: str, start: int, end: int) -> bool:
        after = text[end : end + 3].lstrip()
        before = text[max(0, start - 3) : start].rstrip()
        return bool((after and _HANGUL_RE.match(after[0])) or (before and _HANGUL_RE.match(before[-1])))

    @staticmethod
    def _before_language_word(text: str, end: int) -> bool:
        after = text[end : end + 14].lower().lstrip(" -")
        return after.startswith(_LANGUAGE_WORDS)

    @staticmethod
    def _opens_sentence(text: str, start: int) -> bool:
        if start and text[start - 1].isascii() and text[start - 1].isalpha():
            return True  # a word cut from a glued one ("DevExpress") opens what a lost line break ran on
        return _SENTENCE_START.search(text[max(0, start - 4) : start]) is not None

    # -- Hangul surface pass -----------------------------------------------------------------------------------

    def _hangul_mentions(self, text: str) -> list[Mention]:
        if not self._hangul or not _HANGUL_RE.search(text):
            return []
        # the text's Hangul with spaces removed, and where each kept character came from
        kept: list[int] = [i for i, c in enumerate(text) if not c.isspace()]
        squeezed = _fold("".join(text[i] for i in kept))
        out: list[Mention] = []
        for p, c in enumerate(squeezed):
            entries = self._hangul.get(c)
            if not entries or not _is_hangul_word_start(text, kept[p]):
                continue
            longest = 0
            for label, concept, weight in entries:  # longest first
                if len(label) < longest:
                    break  # nested shorter label at the same start ("자바" inside "자바스크립트")
                if squeezed.startswith(label, p):
                    longest = len(label)
                    out.append(Mention(concept, kept[p], kept[p + len(label) - 1] + 1, 1, weight))
        return out
