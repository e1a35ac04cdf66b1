"""JSON responses for large lists whose items are shared between requests (cached recommendation lists).

A recommendation list of 20 items with explanations is 50–70 KB of JSON; encoding it took a tenth of a web
worker's CPU in ``benchmarks/bench_scale.py``, for lists that are mostly served from the cache, unchanged. Here each
item is encoded once and its bytes are kept beside it, keyed by the item object itself (a strong reference: the
key cannot be reused by another object while kept), so a list served again is joined from bytes.

Items must not be changed after they were encoded — the rule the caches already set (``recommend_cache``: callers
copy before changing). A changed item is a new object (``{**item, "rank": 2}``) and is encoded anew.

The encoding is pydantic-core's, as FastAPI's own for a ``dict`` return value (dates in ISO 8601, enums by value),
compact; the list's key comes last in the object.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from pydantic_core import to_json
from starlette.responses import Response

__all__ = ["MAX_KEPT_ITEMS", "encode_item", "list_response"]

#: Encoded items kept per process (least recently used dropped first): ~3 KB each with explanations.
MAX_KEPT_ITEMS = 8192

_kept: OrderedDict[int, tuple[Any, bytes]] = OrderedDict()
_lock = threading.Lock()


def encode_item(item: Any) -> bytes:
    """``item`` as JSON, from the kept bytes when this very object was encoded before."""
    key = id(item)
    with _lock:
        entry = _kept.get(key)
        if entry is not None and entry[0] is item:
            _kept.move_to_end(key)
            return entry[1]
    data = to_json(item)
    with _lock:
        _kept[key] = (item, data)
        _kept.move_to_end(key)
        while len(_kept) > MAX_KEPT_ITEMS:
            _kept.popitem(last=False)
    return data


def list_response(body: dict[str, Any], key: str = "items", status_code: int = 200) -> Response:
    """``body`` as a JSON response, its ``key`` list joined from the items' kept encodings."""
    items = body.get(key)
    if not isinstance(items, list):
        return Response(to_json(body), status_code=status_code, media_type="application/json")
    head = to_json({k: v for k, v in body.items() if k != key})
    joined = b",".join(encode_item(item) for item in items)
    sep = b"," if len(head) > 2 else b""
    return Response(
        head[:-1] + sep + b'"' + key.encode() + b'":[' + joined + b"]}",
        status_code=status_code,
        media_type="application/json",
    )
