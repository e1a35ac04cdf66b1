"""Entities, value objects, enums and the exception tree. Pure: pydantic and the standard library only."""
