"""Keys a user file had that its model did not expect, found without walking every field.

Same answer, in the same order, as ``skill.userfiles.unknown_keys`` (extra keys first, then each
field's models in declaration order), but each model class is looked at once for the fields that
can hold a model (or anything: ``Any``); the rest are skipped. It runs for every ad.
"""

from __future__ import annotations

import typing

from pydantic import BaseModel

_NESTED: dict[type, tuple[str, ...]] = {}


def unknown_keys(model: BaseModel, prefix: str = "") -> list[str]:
    """Dotted paths of keys the model did not expect, at any depth."""
    extra = model.__pydantic_extra__
    found = [f"{prefix}{k}" for k in extra] if extra else []
    cls = type(model)
    names = _NESTED.get(cls)
    if names is None:
        names = _NESTED[cls] = tuple(n for n, f in cls.model_fields.items() if _may_hold_model(f.annotation))
    values = model.__dict__
    for name in names:
        value = values.get(name)
        if isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    found += unknown_keys(item, f"{prefix}{name}[{i}].")
        elif isinstance(value, BaseModel):
            found += unknown_keys(value, f"{prefix}{name}.")
    return found


def _may_hold_model(annotation: object) -> bool:
    if annotation is typing.Any or annotation is object:
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_may_hold_model(a) for a in typing.get_args(annotation))
