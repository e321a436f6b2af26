"""Strict input: a field or query parameter an endpoint does not know is a 400, never ignored.

Every input serializer (request bodies, multipart forms and query parameters) derives from
:class:`StrictSerializer`. A key its data has that none of its writable fields has is
refused with ``{"<full.path>": ["unknown field; did you mean <full.path>?"]}``, at any
nesting level: the suggestion comes from the known field paths of the whole serializer tree
(the same name one level up or down, ``entry_z`` -> ``params.entry_z``; a different case,
``entry_Z`` -> ``params.entry_z``; or a close spelling, ``max_halflife`` ->
``max_half_life``). List endpoints check their query parameters the same way
(:func:`check_query_params`).

JSON values must also have the JSON type their field's schema says (:func:`json_type_errors`):
DRF would read ``0`` as ``false``, ``"5"`` as ``5``, ``false`` as ``0.0`` and ``0`` as
``"0"``, so a body the OpenAPI document calls invalid was accepted. And a query parameter
with an empty value (``?timeframe=``) is refused rather than read as absent.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.utils import html

from titan_web.common.cycles import release_serializer


def _writable(
    serializer: serializers.Serializer[Any],
) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
    return {name: f for name, f in serializer.fields.items() if not f.read_only}


def _nested(field: Any) -> serializers.Serializer[Any] | None:
    """The serializer under a field (itself, or the child of a ``many=True`` list)."""
    if isinstance(field, serializers.ListSerializer):
        field = field.child
    return field if isinstance(field, serializers.Serializer) else None


def known_paths(serializer: serializers.Serializer[Any], prefix: str = "") -> list[str]:
    """Every writable field path of a serializer tree, parents before children."""
    out: list[str] = []
    for name, field in _writable(serializer).items():
        path = f"{prefix}{name}"
        out.append(path)
        child = _nested(field)
        if child is not None:
            out.extend(known_paths(child, path + "."))
    return out


def _path_of(serializer: serializers.Field[Any, Any, Any, Any]) -> str:
    """The dotted path of a nested serializer from its root ("" for the root)."""
    parts: list[str] = []
    node: Any = serializer
    while node.parent is not None:
        if isinstance(node.parent, serializers.ListSerializer):
            node = node.parent
            continue
        parts.append(node.field_name)
        node = node.parent
    return ".".join(reversed(parts))


def suggest(unknown: str, *, prefix: str, paths: Iterable[str]) -> str | None:
    """The known path ``unknown`` (met under ``prefix``) most probably meant, if any."""
    paths = list(paths)
    here = [p for p in paths if p.rpartition(".")[0] == prefix]
    leaf = {p: p.rpartition(".")[2] for p in paths}
    # The same name elsewhere in the tree: a field at the wrong level.
    same = [p for p in paths if leaf[p] == unknown]
    if same:
        return min(same, key=lambda p: p.count("."))
    folded = [p for p in here if leaf[p].lower() == unknown.lower()]
    folded = folded or [p for p in paths if leaf[p].lower() == unknown.lower()]
    if folded:
        return folded[0]
    for pool in (here, paths):
        names = sorted({leaf[p] for p in pool})
        close = difflib.get_close_matches(unknown.lower(), names, n=1, cutoff=0.7)
        if close:
            return next(p for p in pool if leaf[p] == close[0])
    return None


def unknown_field_errors(
    keys: Iterable[str], *, known: Iterable[str], prefix: str, paths: Iterable[str], what: str
) -> dict[str, list[str]]:
    """``{full path: [reason]}`` for every key not in ``known``."""
    known = set(known)
    paths = list(paths)
    out: dict[str, list[str]] = {}
    for key in keys:
        if key in known:
            continue
        guess = suggest(key, prefix=prefix, paths=paths)
        reason = f"unknown {what}" + (f"; did you mean {guess}?" if guess else "")
        out[key] = [reason]
    return out


_STRING_FIELDS = (
    serializers.CharField,
    serializers.ChoiceField,
    serializers.DateTimeField,
    serializers.DateField,
    serializers.TimeField,
    serializers.DurationField,
    serializers.UUIDField,
)


def _json_type(field: Any) -> tuple[str, Any] | None:
    """(name, check) of the JSON type ``field`` takes, if it is a scalar field."""
    if isinstance(field, serializers.BooleanField):
        return "a boolean", lambda v: isinstance(v, bool)
    if isinstance(field, serializers.IntegerField):
        return "an integer", lambda v: isinstance(v, int) and not isinstance(v, bool)
    if (
        isinstance(field, serializers.DecimalField)
        and getattr(field, "coerce_to_string", None) is not False
    ):
        return "a string", lambda v: isinstance(v, str)  # a decimal string, as it is answered
    if isinstance(field, (serializers.FloatField, serializers.DecimalField)):
        return "a number", lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)
    if isinstance(field, _STRING_FIELDS) and not isinstance(field, serializers.FileField):
        return "a string", lambda v: isinstance(v, str)
    return None


def json_type_errors(field: Any, value: Any) -> list[str]:
    """Why ``value`` (parsed JSON) is not of the type ``field`` takes; [] when it is."""
    if value is None:
        return []  # null: the field's allow_null decides
    if isinstance(field, serializers.ListField) and isinstance(value, list):
        for i, item in enumerate(value):
            reasons = json_type_errors(field.child, item)
            if reasons:
                return [f"item {i}: {reasons[0]}"]
        return []
    if isinstance(field, serializers.DictField) and isinstance(value, Mapping):
        child = field.child
        if type(child) is not serializers.Field:
            for key, item in value.items():
                reasons = json_type_errors(child, item)
                if reasons:
                    return [f"{key}: {reasons[0]}"]
        return []
    kind = _json_type(field)
    if kind is not None and not kind[1](value):
        return [f"must be {kind[0]}, not {type(value).__name__}"]
    return []


class StrictSerializer(serializers.Serializer[Any]):
    """A serializer that refuses keys it has no writable field for (see the module notes)."""

    unknown_what = "field"
    json_types = True  # the data is parsed JSON (False: query parameters, all strings)

    def to_internal_value(self, data: Any) -> Any:
        unknown: dict[str, list[str]] = {}
        if isinstance(data, Mapping):
            fields = _writable(self)
            if html.is_html_input(data) or not self.json_types:  # query or form: all strings
                unknown.update(empty_value_errors(data))
            else:
                for key, value in data.items():
                    reasons = json_type_errors(fields[key], value) if key in fields else []
                    if reasons:
                        unknown[str(key)] = reasons
            root: Any = self.root
            root_serializer = _nested(root) or self
            unknown.update(
                unknown_field_errors(
                    [str(k) for k in data],
                    known=fields,
                    prefix=_path_of(self),
                    paths=known_paths(root_serializer),
                    what=getattr(root_serializer, "unknown_what", self.unknown_what),
                )
            )
        if not unknown:
            return super().to_internal_value(data)
        try:
            super().to_internal_value(data)
        except ValidationError as exc:
            if isinstance(exc.detail, dict):
                unknown = {**exc.detail, **unknown}  # type: ignore[dict-item]
        raise ValidationError(unknown)


def empty_value_errors(query: Any) -> dict[str, list[str]]:
    """``{name: [reason]}`` for each query parameter (or form field) sent with no value."""
    getlist = getattr(query, "getlist", None)
    out: dict[str, list[str]] = {}
    for key in query:
        values = getlist(key) if getlist is not None else [query[key]]
        if any(isinstance(v, str) and v == "" for v in values):
            out[str(key)] = ["empty value; leave the parameter out instead"]
    return out


class StrictQuerySerializer(StrictSerializer):
    """The query parameters of a GET: an unknown one is an "unknown query parameter"."""

    unknown_what = "query parameter"
    json_types = False

    @classmethod
    def validated(cls, query: Any) -> dict[str, Any]:
        """``query`` validated (400 otherwise), as a plain dict. The serializer is let go
        (:func:`~titan_web.common.cycles.release_serializer`): a GET reads it once."""
        serializer = cls(data=query)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        release_serializer(serializer)
        return data


def check_query_params(query: Iterable[str], *, known: Iterable[str]) -> None:
    """400 naming every query parameter not in ``known`` (with a close match, if any) and,
    when ``query`` is the query dict itself, every one sent with an empty value."""
    known = sorted(set(known))
    errors = empty_value_errors(query) if isinstance(query, Mapping) else {}
    errors |= unknown_field_errors(
        list(query), known=known, prefix="", paths=known, what="query parameter"
    )
    if errors:
        raise ValidationError(errors)
