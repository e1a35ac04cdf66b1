"""The CSRF token of a plain multipart form (a file upload with JavaScript off) is read from the body's own field,
never from a file's content, whatever the file holds."""

from __future__ import annotations

import httpx
from hypothesis import given
from hypothesis import strategies as st

from talentbridge.web.auth import multipart_field

TOKENS = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", min_size=8, max_size=40)


def _encoded(data: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    request = httpx.Request("POST", "http://x/upload", data=data, files=files)
    return request.read(), request.headers["content-type"]


@given(token=TOKENS, content=st.binary(max_size=300), before=st.booleans())
def test_the_form_field_is_found_whatever_the_file_holds(token: str, content: bytes, before: bool) -> None:
    trap = b'Content-Disposition: form-data; name="csrf_token"\r\n\r\nforged\r\n' + content
    data = {"csrf_token": token, "entity": "talents"} if before else {"entity": "talents", "csrf_token": token}
    body, content_type = _encoded(data, {"file": ("t.csv", trap, "text/csv")})
    assert multipart_field(body, content_type, "csrf_token") == token


@given(content=st.binary(max_size=300))
def test_a_file_named_like_the_field_is_not_the_field(content: bytes) -> None:
    body, content_type = _encoded({"entity": "talents"}, {"csrf_token": ("csrf_token", content, "text/plain")})
    assert multipart_field(body, content_type, "csrf_token") is None


def test_no_boundary_no_field() -> None:
    assert multipart_field(b"--x\r\n\r\n", "multipart/form-data", "csrf_token") is None
