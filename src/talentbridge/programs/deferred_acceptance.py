"""Deferred acceptance (Gale & Shapley 1962), many-to-one, with capacities and incomplete lists.

Plain functions over flat arrays. Preferences are given in compressed sparse rows (CSR) on the applicant side:

* ``app_ptr`` (n+1): applicant ``a``'s acceptable programs are the entries ``app_ptr[a]:app_ptr[a+1]``,
  best first;
* ``app_prog`` (L): the program index of each entry;
* ``app_prank`` (L): the program's rank of that applicant (0 = its favourite; strict, ties already broken);
* ``capacity`` (m): seats per program.

Every entry must be mutually acceptable (the caller removes pairs a program does not rank or a rule forbids).
Both functions return ``match`` (n): the CSR entry index each applicant is assigned through, or -1. The
program
is ``app_prog[match[a]]`` and the applicant's rank of it is ``match[a] - app_ptr[a]``.

Guarantees (Roth & Sotomayor 1990, ch. 5): the applicant-proposing result is stable, applicant-optimal and
strategy-proof for applicants; the program-proposing result is stable and program-optimal. Both run in
O(L log c) time for L list entries and largest capacity c, and O(n + m + L) memory.
"""

from __future__ import annotations

import numpy as np

from talentbridge.programs._jit import kernel, numba_available

__all__ = ["applicant_proposing", "program_proposing", "program_lists"]


@kernel
def _applicant_proposing(
    app_ptr,
    app_prog,
    app_prank,
    capacity,
    heap_off,
    heap_rank,
    heap_app,  # type: ignore[no-untyped-def]
    heap_size,
    nxt,
    stack,
    match,
):
    n = len(app_ptr) - 1
    top = 0
    for a in range(n - 1, -1, -1):
        stack[top] = a
        top += 1
    while top > 0:
        top -= 1
        a = stack[top]
        end = app_ptr[a + 1]
        while nxt[a] < end:
            e = nxt[a]
            nxt[a] = e + 1
            p = app_prog[e]
            cap = capacity[p]
            if cap == 0:
                continue
            r = app_prank[e]
            off = heap_off[p]
            size = heap_size[p]
            if size < cap:
                # push (r, a) onto p's max-heap of held ranks: sift up
                i = size
                heap_size[p] = size + 1
                while i > 0:
                    parent = (i - 1) >> 1
                    if heap_rank[off + parent] >= r:
                        break
                    heap_rank[off + i] = heap_rank[off + parent]
                    heap_app[off + i] = heap_app[off + parent]
                    i = parent
                heap_rank[off + i] = r
                heap_app[off + i] = a
                match[a] = e
                break
            if r < heap_rank[off]:
                evicted = heap_app[off]
                match[evicted] = -1
                stack[top] = evicted
                top += 1
                # replace the worst held applicant by a: sift down
                i = 0
                while True:
                    child = 2 * i + 1
                    if child >= size:
                        break
                    if child + 1 < size and heap_rank[off + child + 1] > heap_rank[off + child]:
                        child += 1
                    if heap_rank[off + child] <= r:
                        break
                    heap_rank[off + i] = heap_rank[off + child]
                    heap_app[off + i] = heap_app[off + child]
                    i = child
                heap_rank[off + i] = r
                heap_app[off + i] = a
                match[a] = e
                break
    return 0


@kernel
def _program_proposing(
    prog_ptr,
    prog_app,
    prog_entry,
    app_rank,
    capacity,
    held_rank,
    held_prog,  # type: ignore[no-untyped-def]
    held_entry,
    count,
    nxt,
    stack,
):
    m = len(prog_ptr) - 1
    top = 0
    for p in range(m - 1, -1, -1):
        stack[top] = p
        top += 1
    while top > 0:
        top -= 1
        p = stack[top]
        end = prog_ptr[p + 1]
        while count[p] < capacity[p] and nxt[p] < end:
            k = nxt[p]
            nxt[p] = k + 1
            a = prog_app[k]
            e = prog_entry[k]
            r = app_rank[e]
            if r < held_rank[a]:
                old = held_prog[a]
                held_rank[a] = r
                held_prog[a] = p
                held_entry[a] = e
                count[p] += 1
                if old >= 0:
                    count[old] -= 1
                    stack[top] = old
                    top += 1
    return 0


def _prepare(arrays: list[np.ndarray], jit: bool, inputs: int) -> list:  # type: ignore[type-arg]
    """For the interpreter fallback, index through memoryviews (read-only inputs: no copy, Python ints) and
    lists (work arrays), both several times faster than numpy scalar indexing."""
    if jit:
        return arrays
    return [memoryview(np.ascontiguousarray(x)) for x in arrays[:inputs]] + [
        x.tolist() for x in arrays[inputs:]
    ]


def applicant_proposing(
    app_ptr: np.ndarray,
    app_prog: np.ndarray,
    app_prank: np.ndarray,
    capacity: np.ndarray,
    *,
    jit: bool | None = None,
) -> np.ndarray:
    """Applicant-proposing deferred acceptance.

    Returns ``match`` (n, int64): the entry index each applicant holds, or -1. Stable; applicant-optimal among
    stable matchings; strategy-proof for applicants. O(L log c).
    """
    use_jit = numba_available() if jit is None else jit and numba_available()
    n = len(app_ptr) - 1
    capacity = np.asarray(capacity, dtype=np.int64)
    heap_off = np.zeros(len(capacity) + 1, dtype=np.int64)
    np.cumsum(capacity, out=heap_off[1:])
    work = [
        np.asarray(app_ptr, dtype=np.int64),
        np.asarray(app_prog),
        np.asarray(app_prank),
        capacity,
        heap_off,
        np.zeros(int(heap_off[-1]), dtype=np.int64),
        np.zeros(int(heap_off[-1]), dtype=np.int64),
        np.zeros(len(capacity), dtype=np.int64),
        np.asarray(app_ptr[:-1], dtype=np.int64).copy(),
        np.zeros(n, dtype=np.int64),
        np.full(n, -1, dtype=np.int64),
    ]
    args = _prepare(work, use_jit, inputs=5)
    _applicant_proposing(*args, jit=use_jit)
    return np.asarray(args[-1], dtype=np.int64)


def program_lists(
    app_ptr: np.ndarray, app_prog: np.ndarray, app_prank: np.ndarray, n_programs: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The same preferences in CSR on the program side: ``prog_ptr``, ``prog_app``, ``prog_entry``.

    Program ``p``'s entries ``prog_ptr[p]:prog_ptr[p+1]`` list its acceptable applicants best first;
    ``prog_entry`` points back to the applicant-side entry of that pair. O(L log L).
    """
    n = len(app_ptr) - 1
    lengths = np.diff(app_ptr)
    entry_app = np.repeat(np.arange(n, dtype=np.int64), lengths)
    order = np.lexsort((app_prank, app_prog))
    prog_ptr = np.zeros(n_programs + 1, dtype=np.int64)
    np.cumsum(np.bincount(app_prog, minlength=n_programs), out=prog_ptr[1:])
    return prog_ptr, entry_app[order], order.astype(np.int64)


def program_proposing(
    app_ptr: np.ndarray,
    app_prog: np.ndarray,
    app_prank: np.ndarray,
    capacity: np.ndarray,
    *,
    jit: bool | None = None,
) -> np.ndarray:
    """Program-proposing deferred acceptance.

    Returns ``match`` as :func:`applicant_proposing` does. Stable; program-optimal among stable matchings.
    O(L log L) (the program-side lists are built by a sort).
    """
    use_jit = numba_available() if jit is None else jit and numba_available()
    n = len(app_ptr) - 1
    m = len(capacity)
    app_ptr = np.asarray(app_ptr, dtype=np.int64)
    app_prog = np.asarray(app_prog)
    prog_ptr, prog_app, prog_entry = program_lists(app_ptr, app_prog, np.asarray(app_prank), m)
    lengths = np.diff(app_ptr)
    app_rank = np.arange(len(app_prog), dtype=np.int64) - np.repeat(app_ptr[:-1], lengths)
    work = [
        prog_ptr,
        prog_app,
        prog_entry,
        app_rank,
        np.asarray(capacity, dtype=np.int64),
        np.full(n, np.iinfo(np.int64).max, dtype=np.int64),
        np.full(n, -1, dtype=np.int64),
        np.full(n, -1, dtype=np.int64),
        np.zeros(m, dtype=np.int64),
        prog_ptr[:-1].copy(),
        np.zeros(m + len(app_prog) + 1, dtype=np.int64),
    ]
    args = _prepare(work, use_jit, inputs=5)
    _program_proposing(*args, jit=use_jit)
    return np.asarray(args[7], dtype=np.int64)
