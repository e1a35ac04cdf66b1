"""Store a generated demo dataset (``talentbridge.demo``) in the database in bulk, one transaction, mapping the
generator's positional references to database ids; planner statistics are refreshed afterwards."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from talentbridge.domain import OpeningData, OrganizationData, ProgramData, TalentData
from talentbridge.services.import_parsing import Progress
from talentbridge.services.importing import refresh_statistics

__all__ = ["store_demo"]


def store_demo(
    db: Any,
    dataset: Any = None,
    *,
    organizations: Sequence[OrganizationData] | None = None,
    talent_batches: Iterable[Sequence[TalentData]] = (),
    opening_batches: Iterable[Sequence[OpeningData]] = (),
    programs: Sequence[ProgramData] = (),
    progress: Progress | None = None,
    batch_size: int = 5000,
) -> dict[str, int]:
    """Store demo records (``talentbridge.demo``) whose references are 1-based positions in ``organizations``:
    either a whole ``DemoDataset`` or organizations plus streamed talent/opening batches. Upserts by external id
    in one transaction; returns how many of each were written."""
    if dataset is not None:
        organizations = dataset.organizations
        talent_batches = [dataset.talents[i : i + batch_size] for i in range(0, len(dataset.talents), batch_size)]
        opening_batches = [dataset.openings[i : i + batch_size] for i in range(0, len(dataset.openings), batch_size)]
        programs = dataset.programs
    organizations = list(organizations or [])
    from talentbridge.storage.repositories import Repositories

    counts = {"organizations": 0, "talents": 0, "openings": 0, "programs": 0}
    with db.session() as session:
        repos = Repositories(session)
        plain = [o.model_copy(update={"parent_id": None}) if o.parent_id else o for o in organizations]
        for start in range(0, len(plain), batch_size):
            repos.organizations.upsert_many(plain[start : start + batch_size])
        ids = repos.organizations.ids_by_external_id([o.external_id for o in organizations])  # type: ignore[misc]
        position_ids = [ids[o.external_id] for o in organizations]  # type: ignore[index]
        children = [
            o.model_copy(update={"parent_id": position_ids[o.parent_id - 1]}) for o in organizations if o.parent_id
        ]
        if children:
            repos.organizations.upsert_many(children)
        counts["organizations"] = len(organizations)
        if progress:
            progress("organizations", len(organizations), len(organizations))
        if programs:
            repos.programs.upsert_many(list(programs))
            counts["programs"] = len(programs)

        for batch in talent_batches:
            mapped = [
                t.model_copy(update={"current_employer_id": position_ids[t.current_employer_id - 1]})
                if t.current_employer_id
                else t
                for t in batch
            ]
            repos.talents.upsert_many(mapped)
            counts["talents"] += len(mapped)
            if progress:
                progress("talents", counts["talents"], None)
        for batch in opening_batches:
            mapped_openings = [
                o.model_copy(update={"organization_id": position_ids[o.organization_id - 1]}) for o in batch
            ]
            repos.openings.upsert_many(mapped_openings)
            counts["openings"] += len(mapped_openings)
            if progress:
                progress("openings", counts["openings"], None)
    refresh_statistics(db)
    return counts
