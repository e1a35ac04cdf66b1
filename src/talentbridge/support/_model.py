"""The shape of a rule file: a scheme version with its conditions, benefit, sources and (for visas) points and a
settlement checklist. Validated at load with every problem listed (``_loader``)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "Op",
    "OPS",
    "Source",
    "Predicate",
    "AllOf",
    "Condition",
    "Milestone",
    "Benefit",
    "PointsItem",
    "Points",
    "ChecklistItem",
    "Scheme",
    "KINDS",
]

Op = Literal["eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "degree_ge", "known"]
OPS: tuple[str, ...] = ("eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "degree_ge", "known")
KINDS = ("subsidy", "grant", "secondment", "education", "tax", "corporate", "visa")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    key: str = Field(min_length=1, description="Short source key, e.g. 'blog.korea.kr 148938967'.")
    url: str | None = None
    date: str | None = None
    verified: bool = Field(True, description="[V] read in a source excerpt; false for [I] inferred.")


class Predicate(_Strict):
    """``fact <op> value`` over one fact of the organization, person, offer or placement."""

    fact: str = Field(pattern=r"^(organization|person|offer|placement|options)\.[a-z0-9_]+$")
    op: Op
    value: Any = None

    @model_validator(mode="after")
    def _value_fits(self) -> Predicate:
        if self.op in ("in", "not_in") and not isinstance(self.value, list):
            raise ValueError(f"{self.fact}: '{self.op}' needs a list value")
        if self.op in ("lt", "le", "gt", "ge") and not isinstance(self.value, int | float | date):
            raise ValueError(f"{self.fact}: '{self.op}' needs a number or a date")
        if self.op == "degree_ge" and self.value not in (
            "high_school",
            "associate",
            "bachelor",
            "master",
            "doctorate",
        ):
            raise ValueError(f"{self.fact}: 'degree_ge' needs a degree (high_school … doctorate)")
        if self.op != "known" and self.value is None:
            raise ValueError(f"{self.fact}: '{self.op}' needs a value")
        return self


class AllOf(_Strict):
    """A group inside ``any``: every predicate holds (e.g. "a master's degree AND a related field")."""

    all: list[Predicate] = Field(min_length=1)


class Condition(_Strict):
    """One condition of a scheme: a predicate, or ``any``/``all`` of predicates, optionally only ``when`` another
    predicate holds (e.g. a rule for capital-region employers only). ``ko``/``en`` say it in words."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    ko: str = Field(min_length=1)
    en: str = Field(min_length=1)
    fact: str | None = Field(None, pattern=r"^(organization|person|offer|placement|options)\.[a-z0-9_]+$")
    op: Op | None = None
    value: Any = None
    any: list[Predicate | AllOf] | None = None
    all: list[Predicate] | None = None
    when: Predicate | None = None
    hint_ko: str | None = Field(None, description="What would change the answer; {value} is the threshold.")
    hint_en: str | None = None
    verified: bool = True
    note: str | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        forms = [self.fact is not None, self.any is not None, self.all is not None]
        if sum(forms) != 1:
            raise ValueError(f"condition {self.id}: give exactly one of fact/op/value, any, all")
        if self.fact is not None:
            if self.op is None:
                raise ValueError(f"condition {self.id}: 'op' is missing")
            Predicate(fact=self.fact, op=self.op, value=self.value)  # same checks as a predicate
        for group in (self.any, self.all):
            if group is not None and not group:
                raise ValueError(f"condition {self.id}: an empty group")
        return self

    def predicates(self) -> list[Predicate]:
        """Every predicate of the condition, flattened (for the facts it uses)."""
        if self.fact is not None:
            assert self.op is not None
            return [Predicate(fact=self.fact, op=self.op, value=self.value)]
        out: list[Predicate] = []
        for item in self.any or self.all or []:
            out.extend(item.all if isinstance(item, AllOf) else [item])
        return out

    def terms(self) -> list[Predicate | AllOf]:
        """The top-level terms: one predicate, or the members of ``any`` / ``all``."""
        if self.fact is not None:
            return list(self.predicates())
        return list(self.any or self.all or [])


class Milestone(_Strict):
    after_months: int = Field(ge=0, le=240)
    ko: str
    en: str
    share: float | None = Field(None, gt=0, le=1, description="Share of the total paid at this milestone.")
    amount: int | None = Field(None, ge=0, description="Fixed amount paid at this milestone, KRW.")


class Benefit(_Strict):
    """What the scheme gives. One of the amount forms applies:

    * ``per_month`` × ``months``, capped by ``cap``;
    * ``share_of_salary`` of ``offer.annual_salary`` for ``years``, each year capped by ``cap_per_year``;
    * ``amount`` fixed, or ``amount_by`` a fact's value (e.g. the area type of a non-capital employer);
    * none: a benefit in kind (a visa, a deferral) described in words.
    """

    to: Literal["employer", "employee", "person"]
    ko: str
    en: str
    per_month: int | None = Field(None, ge=0)
    months: int | None = Field(None, ge=1, le=240)
    cap: int | None = Field(None, ge=0)
    share_of_salary: float | None = Field(None, gt=0, le=1)
    years: int | None = Field(None, ge=1, le=20)
    cap_per_year: int | None = Field(None, ge=0)
    amount: int | None = Field(None, ge=0)
    amount_by_fact: str | None = None
    amount_by: dict[str, int] | None = None
    milestones: list[Milestone] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_amount(self) -> Benefit:
        forms = [
            self.per_month is not None,
            self.share_of_salary is not None,
            self.amount is not None,
            self.amount_by is not None,
        ]
        if sum(forms) > 1:
            raise ValueError("benefit: give one of per_month, share_of_salary, amount, amount_by")
        if self.per_month is not None and self.months is None:
            raise ValueError("benefit: per_month needs months")
        if self.share_of_salary is not None and self.years is None:
            raise ValueError("benefit: share_of_salary needs years")
        if (self.amount_by is None) != (self.amount_by_fact is None):
            raise ValueError("benefit: amount_by and amount_by_fact go together")
        shares = [m.share for m in self.milestones if m.share is not None]
        if shares and abs(sum(shares) - 1) > 1e-6:
            raise ValueError(f"benefit: milestone shares add up to {sum(shares):g}, not 1")
        return self


class PointsItem(_Strict):
    """An item of a points system. The sourced notes give each item's maximum (``max``; None where no source
    states it); the band tables are the Ministry of Justice's and the person enters the points they score on it
    (the ``fact``). A deduction item has ``max = 0`` and negative points."""

    ko: str
    en: str
    max: int | None = Field(None, ge=0)
    fact: str = Field(pattern=r"^person\.[a-z0-9_]+$")


class Points(_Strict):
    items: list[PointsItem]
    pass_mark: int = Field(ge=0)
    total: int = Field(ge=1)
    minimum_items: list[str] = Field(default_factory=list, description="Facts that must together reach a floor.")
    minimum_points: int | None = None
    verified: bool = True
    note: str | None = None

    @model_validator(mode="after")
    def _fits(self) -> Points:
        if self.pass_mark > self.total:
            raise ValueError("points: pass_mark above total")
        facts = {i.fact for i in self.items}
        missing = [f for f in self.minimum_items if f not in facts]
        if missing:
            raise ValueError(f"points: minimum_items name no item: {missing}")
        return self


class ChecklistItem(_Strict):
    ko: str
    en: str
    url: str | None = None


class Scheme(_Strict):
    """One version of one scheme, in force from ``effective_from`` to ``effective_to`` (inclusive)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: str = Field(min_length=1)
    kind: Literal["subsidy", "grant", "secondment", "education", "tax", "corporate", "visa"]
    name_ko: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    agency: str
    legal_basis: str | None = None
    effective_from: date
    effective_to: date | None = None
    verified: bool
    sources: list[Source] = Field(min_length=1)
    conflicts: list[str] = Field(default_factory=list, description="Where sources disagree, in words.")
    notes: list[str] = Field(default_factory=list)
    confirm_with: str | None = Field(None, description="The authority to confirm with (visas: guidance only).")
    conditions: list[Condition] = Field(default_factory=list)
    benefit: Benefit | None = None
    points: Points | None = None
    parameters: dict[str, int | float | str | bool] = Field(default_factory=dict)
    settlement: list[ChecklistItem] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates(self) -> Scheme:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError(f"{self.id} {self.version}: effective_to before effective_from")
        ids = [c.id for c in self.conditions]
        if len(ids) != len(set(ids)):
            raise ValueError(f"{self.id} {self.version}: condition ids repeat")
        return self

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"
