"""Base of the domain's validated records, and helpers shared by them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, field_validator

from talentbridge.domain.errors import Problem, ValidationFailed

__all__ = ["Record", "Stored", "partial_model", "problems_from", "validate_record"]

R = TypeVar("R", bound=BaseModel)


class Record(BaseModel):
    """A validated value: unknown fields are refused, strings are stripped, enums kept as values."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_enum_values=False)


class Stored(BaseModel):
    """Fields every stored entity has."""

    id: int
    created_at: datetime | None = None
    updated_at: datetime | None = None


def partial_model(model: type[R], name: str) -> type[R]:
    """A copy of ``model`` whose fields are all optional (for PATCH bodies).

    Field validators are kept (so a bad value in a patch is reported with the others); whole-record checks
    run after the patch is merged with the stored record.
    """
    fields: dict[str, Any] = {}
    for field_name, info in model.model_fields.items():
        fields[field_name] = (info.annotation | None, Field(None, description=info.description))  # type: ignore[operator]
    validators = {
        f"_v_{key}": field_validator(*dec.info.fields, mode=dec.info.mode)(_skip_none(dec.func.__func__))
        for key, dec in model.__pydantic_decorators__.field_validators.items()
    }
    return create_model(name, __base__=Record, __validators__=validators, **fields)  # type: ignore[call-overload,no-any-return]


def _skip_none(func: Any) -> Any:
    def validate(cls: Any, value: Any, *args: Any) -> Any:
        return None if value is None else func(cls, value, *args)

    return classmethod(validate)


def problems_from(exc: ValidationError, prefix: tuple[str | int, ...] = (), line: int | None = None) -> list[Problem]:
    """Every error of a pydantic ValidationError as a Problem."""
    out = []
    for err in exc.errors(include_url=False):
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        value = err.get("input")
        if isinstance(value, dict):
            value = None
        out.append(Problem(loc=prefix + tuple(err["loc"]), msg=msg, value=value, type=err["type"], line=line))
    return out


def validate_record(model: type[R], data: dict[str, Any], what: str) -> R:
    """Validate ``data`` as ``model``; raise ValidationFailed listing every bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(f"invalid {what}", problems_from(exc)) from exc
