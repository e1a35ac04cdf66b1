"""A tiny ESCO v1.1.1 CSV reader for the evaluation harness: ESCO exactly as in the CSV for the baseline's
documents, and the taxonomy for an older checkout without the product's importer (``skills.esco_read``)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from talentbridge.skills.taxonomy import Occupation, Skill, Taxonomy


def _rows(zip_path: Path, name: str):
    with zipfile.ZipFile(zip_path) as zf, zf.open(name) as fh:
        yield from csv.DictReader(io.TextIOWrapper(fh, encoding="utf-8"))


def _lines(value: str) -> list[str]:
    return [x.strip() for x in (value or "").split("\n") if x.strip()]


def read_esco_minimal(folder: Path) -> Taxonomy:
    classification = folder / "esco_v1.1.1_classification_en_csv.zip"
    relations = folder / "esco_v1.1.1_relations_csv.zip"
    tax = Taxonomy()
    for r in _rows(classification, "skills_en.csv"):
        kind = {"knowledge": "knowledge"}.get(r["skillType"], "skill")
        tax.skills[r["conceptUri"]] = Skill(
            id=r["conceptUri"],
            label_en=r["preferredLabel"],
            alt_en=_lines(r["altLabels"]),
            type=kind,
            description_en=r["description"],
            esco_uri=r["conceptUri"],
            builtin=False,
        )
    for r in _rows(classification, "occupations_en.csv"):
        tax.occupations[r["conceptUri"]] = Occupation(
            id=r["conceptUri"],
            label_en=r["preferredLabel"],
            alt_en=_lines(r["altLabels"]),
            isco_code=r["iscoGroup"],
            description_en=r["description"],
            esco_uri=r["conceptUri"],
            builtin=False,
        )
    for r in _rows(relations, "occupationSkillRelations.csv"):
        occ = tax.occupations.get(r["occupationUri"])
        if occ is None:
            continue
        (occ.essential_skills if r["relationType"] == "essential" else occ.optional_skills).append(r["skillUri"])
    return tax
