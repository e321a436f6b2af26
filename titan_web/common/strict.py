"""Strict input: a field or query parameter an endpoint does not know is a 400, never ignored.

Every input serializer (request bodies, multipart forms and query parameters) derives from
:class:`StrictSerializer`. A key its data has that none of its writable fields has is
refused with ``{"<full.path>": ["unknown field; did you mean <full.path>?"]}``, at any
nesting level: the suggestion comes from the known field paths of the whole serializer tree
(the same name one level up or down, ``entry_z`` -> ``params.entry_z``; a different case,
``entry_Z`` -> ``params.entry_z``; or a close spelling, ``max_halflife`` ->
``max_half_life``). List endpoints check their query parameters the same way
(:func:`check_query_params`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import ValidationError


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


class StrictSerializer(serializers.Serializer[Any]):
    """A serializer that refuses keys it has no writable field for (see the module notes)."""

    unknown_what = "field"

    def to_internal_value(self, data: Any) -> Any:
        unknown: dict[str, list[str]] = {}
        if isinstance(data, Mapping):
            root: Any = self.root
            root_serializer = _nested(root) or self
            unknown = unknown_field_errors(
                [str(k) for k in data],
                known=_writable(self),
                prefix=_path_of(self),
                paths=known_paths(root_serializer),
                what=getattr(root_serializer, "unknown_what", self.unknown_what),
            )
        if not unknown:
            return super().to_internal_value(data)
        try:
            super().to_internal_value(data)
        except ValidationError as exc:
            if isinstance(exc.detail, dict):
                unknown = {**exc.detail, **unknown}  # type: ignore[dict-item]
        raise ValidationError(unknown)


class StrictQuerySerializer(StrictSerializer):
    """The query parameters of a GET: an unknown one is an "unknown query parameter"."""

    unknown_what = "query parameter"


def check_query_params(query: Iterable[str], *, known: Iterable[str]) -> None:
    """400 naming every query parameter not in ``known`` (with a close match, if any)."""
    known = sorted(set(known))
    errors = unknown_field_errors(
        query, known=known, prefix="", paths=known, what="query parameter"
    )
    if errors:
        raise ValidationError(errors)
