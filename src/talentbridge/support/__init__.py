"""Recruitment and retention support: hiring subsidies, research-staff grants, secondment support, stock-option
tax rules and visa pathways, as dated rule files with reasons; and the comparison of job offers.

Pure: no web, SQL or CLI code. Rules are data (``support/rules/*.toml``, one file per scheme version, validated
at load); adding next year's version is a new file.

    book = load_rules()                          # every version of every scheme; RulesInvalid lists all problems
    facts = normalize_facts({"person": {"age": 29}, "organization": {"is_sme": True}})
    results = screen(book, facts, date(2026, 3, 1), kinds=("subsidy", "grant"))
"""

from talentbridge.support._evaluate import (
    MET,
    NOT_APPLICABLE,
    NOT_MET,
    UNKNOWN,
    ConditionResult,
    SchemeResult,
    evaluate,
    screen,
)
from talentbridge.support._facts import FACTS, Fact, fact_label, format_value, normalize_facts
from talentbridge.support._loader import RuleBook, load_rules, rules_dir
from talentbridge.support._model import Scheme
from talentbridge.support.offers import compare_offers

__all__ = [
    "MET",
    "NOT_MET",
    "UNKNOWN",
    "NOT_APPLICABLE",
    "ConditionResult",
    "SchemeResult",
    "evaluate",
    "screen",
    "FACTS",
    "Fact",
    "fact_label",
    "format_value",
    "normalize_facts",
    "RuleBook",
    "load_rules",
    "rules_dir",
    "Scheme",
    "compare_offers",
]
