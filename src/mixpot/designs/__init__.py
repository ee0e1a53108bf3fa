"""Named, cited sensor designs (TOML files in this folder) and TOML loading/saving.

``names()`` lists the built-in designs; ``load(name_or_path, overrides=...)`` returns a validated
:class:`mixpot.design.Design`. Overrides use dotted keys, e.g.
``{"measuring_electrode.gold_wt_percent": 5.0}``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from importlib import resources
from numbers import Real
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from mixpot.design import Design, warn_unclaimed

DEFAULT = "patent-preferred"
"""Name of the default design: the patent's preferred embodiment."""


def names() -> list[str]:
    """Return the names of the built-in designs.

    Returns
    -------
    list of str
        Sorted design names, e.g. ``["lsu49-like", "patent-preferred", "unpumped-prior-art"]``.

    Examples
    --------
    >>> "patent-preferred" in names()
    True
    """
    folder = resources.files(__name__)
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def _apply_overrides(data: dict[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    for key, value in overrides.items():
        node = data
        parts = key.split(".")
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise ValueError(f"override {key!r}: {part!r} is a value, not a section")
            node = child
        node[parts[-1]] = value
    return data


_RANGE_ERRORS = {
    "greater_than": "is outside the allowed range {range}",
    "greater_than_equal": "is outside the allowed range {range}",
    "less_than": "is outside the allowed range {range}",
    "less_than_equal": "is outside the allowed range {range}",
    "finite_number": "is not a finite number (allowed range {range})",
}
"""Pydantic error types reworded with the whole allowed range (pydantic states one bound)."""


def _allowed_range(loc: tuple[int | str, ...]) -> str | None:
    """Return the allowed range of the design field at ``loc``, e.g. ``0 <= value <= 100``."""
    model: type[BaseModel] = Design
    for part in loc[:-1]:
        field = model.model_fields.get(part) if isinstance(part, str) else None
        sub = field.annotation if field is not None else None
        if not (isinstance(sub, type) and issubclass(sub, BaseModel)):
            return None
        model = sub
    field = model.model_fields.get(loc[-1]) if isinstance(loc[-1], str) else None
    if field is None:
        return None
    low = high = ""
    for bound in field.metadata:  # annotated_types Ge, Gt, Le, Lt (by their attribute)
        for name, sign in (("ge", "<="), ("gt", "<")):
            if getattr(bound, name, None) is not None:
                low = f"{getattr(bound, name):g} {sign} "
        for name, sign in (("le", "<="), ("lt", "<")):
            if getattr(bound, name, None) is not None:
                high = f" {sign} {getattr(bound, name):g}"
    return f"{low}value{high}" if low or high else None


def _with_ranges(exc: ValidationError) -> ValidationError:
    """Return ``exc`` with its range and NaN/inf errors naming field, value and allowed range.

    Each such error keeps its type, location and input; its message becomes e.g.
    ``measuring_electrode.gold_wt_percent = 150 is outside the allowed range
    0 <= value <= 100``. Other errors are kept as they are.
    """
    details: list[InitErrorDetails] = []
    for error in exc.errors():
        loc, value = error["loc"], error["input"]
        allowed = _allowed_range(loc) if error["type"] in _RANGE_ERRORS else None
        if allowed is None:
            kept: InitErrorDetails = {"type": error["type"], "loc": loc, "input": value}
            if "ctx" in error:
                kept["ctx"] = error["ctx"]
            details.append(kept)
            continue
        field = ".".join(str(part) for part in loc)
        shown = str(value) if isinstance(value, Real) else repr(value)
        template = "{field} = {value} " + _RANGE_ERRORS[error["type"]]
        context = {**error.get("ctx", {}), "field": field, "value": shown, "range": allowed}
        custom = PydanticCustomError(error["type"], template, context)
        details.append({"type": custom, "loc": loc, "input": value})
    return ValidationError.from_exception_data(exc.title, details)


def source_text(name: str) -> str:
    """Return the TOML text of a built-in design.

    Parameters
    ----------
    name : str
        One of :func:`names`.

    Returns
    -------
    str
        The TOML file's content.

    Raises
    ------
    ValueError
        For an unknown design name; the message lists the known ones.
    """
    if name not in names():
        raise ValueError(f"unknown design {name!r}; built-in designs: {', '.join(names())}")
    return resources.files(__name__).joinpath(f"{name}.toml").read_text(encoding="utf-8")


def load(name_or_path: str | Path = DEFAULT, overrides: Mapping[str, Any] | None = None) -> Design:
    """Load a built-in design by name, or a design TOML file by path, with optional overrides.

    Parameters
    ----------
    name_or_path : str or pathlib.Path
        A name from :func:`names` or the path of a TOML file.
    overrides : mapping, optional
        Dotted keys and values replacing entries of the file, e.g.
        ``{"operation.temperature_K": 1053.15}``.

    Returns
    -------
    Design
        The validated design. A design outside a claimed range issues a
        :class:`mixpot.design.ClaimWarning` naming the claim.

    Raises
    ------
    pydantic.ValidationError
        For physically impossible values, NaN and infinity (names the field, the value and the
        whole allowed range).
    ValueError
        For an unknown name or a missing file.

    Examples
    --------
    >>> d = load("patent-preferred", overrides={"measuring_electrode.gold_wt_percent": 10.0})
    >>> d.measuring_electrode.gold_wt_percent
    10.0
    """
    path = Path(name_or_path)
    if isinstance(name_or_path, str) and name_or_path in names():
        text = source_text(name_or_path)
    elif path.suffix == ".toml" and path.is_file():
        text = path.read_text(encoding="utf-8")
    else:
        raise ValueError(
            f"no design named {str(name_or_path)!r} and no such TOML file; "
            f"built-in designs: {', '.join(names())}"
        )
    data = tomllib.loads(text)
    data = _apply_overrides(data, overrides or {})
    try:
        design = Design.model_validate(data)
    except ValidationError as exc:
        raise _with_ranges(exc) from None
    warn_unclaimed(design)
    return design


def to_toml(design: Design) -> str:
    """Serialise a design to TOML (all fields, defaults included).

    Parameters
    ----------
    design : Design
        The design.

    Returns
    -------
    str
        TOML text that :func:`load` reads back to an equal design.
    """
    return tomli_w.dumps(design.model_dump(mode="json", exclude_none=True))


__all__ = ["DEFAULT", "load", "names", "source_text", "to_toml"]
