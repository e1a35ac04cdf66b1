"""``web.json_body``: a list response joined from kept item encodings says exactly what the body says."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from talentbridge.web import json_body
from talentbridge.web.json_body import encode_item, list_response

_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)
_scalars = st.none() | st.booleans() | st.integers(-(10**9), 10**9) | st.floats(allow_nan=False, allow_infinity=False)
_scalars |= _text
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
_items = st.lists(st.dictionaries(st.text(max_size=8), _values, max_size=5), max_size=6)
_heads = st.dictionaries(st.text(max_size=8).filter(lambda k: k != "items"), _values, max_size=5)


@given(head=_heads, items=_items, repeat=st.booleans())
def test_the_response_parses_to_the_body(head: dict[str, Any], items: list[dict[str, Any]], repeat: bool) -> None:
    body = {**head, "items": items}
    if repeat:  # the second response is joined from kept encodings
        list_response(body)
    response = list_response(body)
    assert response.media_type == "application/json"
    assert json.loads(response.body) == json.loads(json.dumps(body))


def test_a_body_without_the_list_is_encoded_whole() -> None:
    assert json.loads(list_response({"detail": "x", "items": None}).body) == {"detail": "x", "items": None}
    assert json.loads(list_response({}).body) == {}
    assert json.loads(list_response({"items": []}).body) == {"items": []}


class _Kind(StrEnum):
    JOB = "job"


def test_dates_and_enums_are_encoded_as_fastapi_encodes_a_dict() -> None:
    item = {"at": datetime(2026, 12, 6, 9, 30, tzinfo=UTC), "on": date(2026, 12, 6), "kind": _Kind.JOB}
    parsed = json.loads(list_response({"items": [item]}).body)
    assert parsed == {"items": [{"at": "2026-12-06T09:30:00Z", "on": "2026-12-06", "kind": "job"}]}


def test_an_item_is_encoded_once_and_a_changed_copy_anew() -> None:
    item = {"talent_id": 7, "rank": 1, "score": 91.5}
    first = encode_item(item)
    assert encode_item(item) is first  # kept: the same bytes object
    moved = {**item, "rank": 2}  # how the API re-ranks a shared item: a new object
    assert json.loads(encode_item(moved)) == {"talent_id": 7, "rank": 2, "score": 91.5}
    equal = dict(item)  # an equal but different object is encoded on its own, never mistaken for the kept one
    assert encode_item(equal) == first and encode_item(equal) is not first


def test_kept_encodings_are_bounded(monkeypatch: Any) -> None:
    monkeypatch.setattr(json_body, "MAX_KEPT_ITEMS", 16)
    items = [{"n": i} for i in range(40)]
    for item in items:
        encode_item(item)
    assert len(json_body._kept) <= 16
    assert json.loads(encode_item(items[0])) == {"n": 0}  # dropped first, encoded again
