"""Explicit-mention recall: do the suggestions show the skills a real job ad names outright?

Reads ../shared/data/eval-dev/explicit-skills/explicit_skills_{en,ko}.validation.jsonl (real English and Korean
ads with the employer's own skill tags; ``explicit`` = the tags that occur literally in the text) and runs each
ad's text through the PRODUCT's suggestion path (``services.skill_suggestions.suggest_skills``, the function the
talent and organisation pages and ``/api/skills/suggest`` call) on the built-in taxonomy merged with ESCO v1.1.1
(what ``taxonomy import-esco`` gives). A tag counts as found when a suggested skill's span lies on a mention of
the tag in the text (overlaps it and is no wider than twice the mention) or its English or Korean label equals
the tag (case-insensitive). Metrics: recall over all explicit tags (micro average) anywhere in the suggestions
and within the first 20, per language.

The ads are split into two halves per language by a fixed seed (``--seed 14``): half A is for tuning (aliases,
context rules, the order of explicit mentions), half B is reported. ``--half all`` gives both.

    .venv/bin/python benchmarks/eval_explicit.py                    # half B with MiniLM (the product default)
    .venv/bin/python benchmarks/eval_explicit.py --encoder none     # lexical only: fast, same explicit recall
    .venv/bin/python benchmarks/eval_explicit.py --half A --errors 30   # tuning half, with missed tags

Run with ``PYTHONPATH`` pointing at an older checkout (without ``suggest_skills``) to get the previous product's
numbers: its extractor's top 100 ("anywhere") and top 20, as its pages and CLI showed them.
Nothing from the evaluation files is written anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

_ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
# ../shared/data from the repository (or from a worktree a level deeper)
_root = next((p for p in Path(__file__).resolve().parents if (p / "shared/data").is_dir()), Path("/work"))
_ap.add_argument("--eval", type=Path, default=_root / "shared/data/eval-dev/explicit-skills")
_ap.add_argument(
    "--esco", type=Path, default=Path(os.environ.get("TALENTBRIDGE_ESCO_DIR") or _root / "shared/data/esco")
)
_ap.add_argument("--no-esco", action="store_true", help="built-in taxonomy only")
_ap.add_argument("--encoder", default="minilm", help="minilm (product default), use, hashing, none")
_ap.add_argument("--half", default="B", choices=["A", "B", "all"])
_ap.add_argument("--seed", type=int, default=14)
_ap.add_argument("--lang", default="en,ko")
_ap.add_argument("--first", type=int, default=20)
_ap.add_argument("--errors", type=int, default=0, help="print the N most frequent missed tags per language")
_ap.add_argument("--threads", type=int, default=1)
_ap.add_argument(
    "--hangul-by",
    default="multilingual",
    choices=["multilingual", "main"],
    help="which encoder reads lines written mostly in Hangul: the multilingual USE (product) or the main encoder "
    "(MiniLM, the product before 2026-12-06)",
)
# parsed only when run as a script, so tests can import the matching rules (an importer that evaluates sets ARGS
# itself: the defaults here are half B, the reported half)
ARGS = _ap.parse_args(None if __name__ == "__main__" else [])
if __name__ == "__main__":  # before numpy loads; an import (tests) leaves the importer's environment alone
    for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_var] = str(ARGS.threads)

_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def mention_ranges(text: str, tag: str) -> list[tuple[int, int]]:
    """Where ``tag`` occurs literally: case-insensitive, word boundaries for Latin, spacing ignored for Hangul."""
    tag = tag.strip()
    if _HANGUL.search(tag):
        pattern = r"\s*".join(re.escape(c) for c in tag if not c.isspace())
    else:
        # words need a space between them; around punctuation the space is optional: the tag "C / C++" is
        # written "C/C++" in the ad, "CI / CD" as "CI/CD"
        words = tag.split()
        if not words:
            return []
        pattern = re.escape(words[0])
        for prev, word in zip(words, words[1:], strict=False):
            glue = r"\s*" if not (prev[-1].isalnum() and word[0].isalnum()) else r"\s+"
            pattern += glue + re.escape(word)
        pattern = r"(?<![A-Za-z0-9])" + pattern + r"(?![A-Za-z0-9])"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, re.IGNORECASE)]


def found(tag: str, ranges: list[tuple[int, int]], suggestion: dict) -> bool:
    if tag.lower() in suggestion["labels"]:
        return True
    for a, b in suggestion["spans"]:
        for s, e in ranges:
            if a < e and s < b and (b - a) <= 2 * (e - s):
                return True
    return False


def load(lang: str) -> list[dict]:
    path = ARGS.eval / f"explicit_skills_{lang}.validation.jsonl"
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    order = list(range(len(rows)))
    random.Random(ARGS.seed).shuffle(order)
    half = len(rows) // 2
    pick = {"A": order[:half], "B": order[half:], "all": order}[ARGS.half]
    return [rows[i] for i in sorted(pick)]


def build_services():
    from talentbridge.config import get_settings
    from talentbridge.services.skill_extraction import get_skill_services
    from talentbridge.skills.builtin import load_builtin

    taxonomy = load_builtin()
    if not ARGS.no_esco:
        from talentbridge.skills.esco_merge import merge_with_builtin
        from talentbridge.skills.esco_read import read_esco

        taxonomy = merge_with_builtin(taxonomy, read_esco(sorted(ARGS.esco.glob("*.zip")))).taxonomy
    services = get_skill_services(get_settings(), encoder=ARGS.encoder, taxonomy=taxonomy)
    if ARGS.hangul_by == "main" and getattr(services.extractor, "multilingual", None) is not None:
        services.extractor.multilingual = None
        services.extractor._multilingual_index = None
    return services


def product_suggestions(services, text: str) -> tuple[list[dict], list[dict]]:
    """(all suggestions, the first ``--first``) through the product's path; each {labels, spans}."""
    taxonomy = services.taxonomy
    by_uri = taxonomy.skill_by_uri()

    def labels(uri: str) -> set[str]:
        skill = by_uri.get(uri)
        return {x.lower() for x in ((skill.label_en, skill.label_ko) if skill else ()) if x}

    try:
        from talentbridge.services.skill_suggestions import suggest_skills
    except ImportError:  # the previous product: the extractor's ranked list, top 20 on the pages
        ranked = services.extractor.extract(text, top=100)
        items = [{"labels": labels(s.uri), "spans": [tuple(x) for x in s.spans]} for s in ranked]
        return items, items[: ARGS.first]
    items = [{"labels": labels(s.uri), "spans": s.spans, "via": s.via} for s in suggest_skills(services, text)]
    return items, items[: ARGS.first]


def main() -> None:
    missing = [
        str(ARGS.eval / f"explicit_skills_{lang}.validation.jsonl")
        for lang in ARGS.lang.split(",")
        if not (ARGS.eval / f"explicit_skills_{lang}.validation.jsonl").is_file()
    ]
    if missing:  # said before the models load, not minutes later
        sys.exit(f"no such file: {', '.join(missing)} (--eval is the explicit-skills directory of eval-dev)")
    started = time.perf_counter()
    services = build_services()
    print(
        f"taxonomy: {len(services.taxonomy.skills):,} skills; encoder {services.encoder_id}; "
        f"set up in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )
    rows_out = []
    for lang in ARGS.lang.split(","):
        ads = load(lang)
        n_tags = hit_any = hit_first = 0
        n_implicit = hit_implicit = 0
        n_suggestions = n_explicit = 0
        missed: Counter[str] = Counter()
        t0 = time.perf_counter()
        for ad in ads:
            text = ad["text"]
            everything, first = product_suggestions(services, text)
            n_suggestions += len(everything)
            n_explicit += sum(1 for s in everything if s.get("via") == "explicit")
            for tag in dict.fromkeys(ad["explicit"]):
                ranges = mention_ranges(text, tag)
                n_tags += 1
                if any(found(tag, ranges, s) for s in everything):
                    hit_any += 1
                else:
                    missed[tag.lower()] += 1
                if any(found(tag, ranges, s) for s in first):
                    hit_first += 1
            # tags the text does not name: only an inferred skill with the tag as its label can find them
            for tag in dict.fromkeys(t for t in ad["tags"] if t not in ad["explicit"]):
                n_implicit += 1
                hit_implicit += any(s.get("via") != "explicit" and tag.lower() in s["labels"] for s in everything)
        seconds = time.perf_counter() - t0
        rows_out.append(
            (
                lang,
                len(ads),
                n_tags,
                hit_any / max(n_tags, 1),
                hit_first / max(n_tags, 1),
                n_suggestions / max(len(ads), 1),
                n_explicit / max(len(ads), 1),
                len(ads) / seconds,
                n_implicit,
                hit_implicit / max(n_implicit, 1),
            )
        )
        if ARGS.errors:
            print(
                f"missed ({lang}): " + ", ".join(f"{t} ×{c}" for t, c in missed.most_common(ARGS.errors)),
                file=sys.stderr,
            )
    print(
        f"\nhalf {ARGS.half} (seed {ARGS.seed}); encoder {services.encoder_id}; "
        f"taxonomy {'built-in' if ARGS.no_esco else 'built-in + ESCO v1.1.1'}"
    )
    print(
        f"| language | ads | explicit tags | recall anywhere | recall in first {ARGS.first} "
        "| suggestions per ad | explicit per ad | ads/s | other tags | of them inferred |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for lang, n_ads, n_tags, any_, first_, per_ad, expl, speed, n_imp, imp in rows_out:
        print(
            f"| {lang} | {n_ads} | {n_tags} | {any_:.3f} | {first_:.3f} | {per_ad:.1f} | {expl:.1f} | {speed:.1f} "
            f"| {n_imp} | {imp:.3f} |"
        )
    print(
        "other tags: the employer's tags the text does not name; 'of them inferred': the share an inferred "
        "suggestion names by its label (hangul lines read by the " + ARGS.hangul_by + " encoder)"
    )


if __name__ == "__main__":
    main()
