"""A realistic synthetic Korean dataset for demos, tests and benchmarks (pure: no database, no web).

``generate(talents, orgs, seed)`` returns a ``DemoDataset`` of validated domain records; ``iter_talents`` and
``iter_openings`` stream large sets in chunks (1,000,000 talents) without holding them all. References between
records are 1-based positions in ``DemoDataset.organizations``; see ``talentbridge.demo._generate``.
"""

from talentbridge.demo._common import BLOCK, DEMO_TODAY
from talentbridge.demo._generate import DemoDataset, generate
from talentbridge.demo._openings import default_opening_count, iter_openings
from talentbridge.demo._organizations import generate_organizations
from talentbridge.demo._programs import generate_programs
from talentbridge.demo._skills import SkillCatalog, load_catalog
from talentbridge.demo._talents import iter_talents

__all__ = [
    "BLOCK",
    "DEMO_TODAY",
    "DemoDataset",
    "SkillCatalog",
    "default_opening_count",
    "generate",
    "generate_organizations",
    "generate_programs",
    "iter_openings",
    "iter_talents",
    "load_catalog",
]
