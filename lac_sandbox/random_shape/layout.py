"""Layouts: where each canonical field of one kind of record goes, and under which name."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .naming import Draw

Path = tuple[str, ...]


def put(target: dict, path: Path, value: Any) -> None:
    """Set `value` at `path` inside `target`, creating the objects on the way."""
    for name in path[:-1]:
        target = target.setdefault(name, {})
    target[path[-1]] = value


def dotted(path: Path | None) -> str | None:
    return None if path is None else ".".join(path)


class Names:
    """Leaf names of one record, distinct from each other (a clash draws the name again)."""

    def __init__(self, draw: Draw):
        self.draw = draw
        self.taken: set[str] = set()
        self.of: dict[str, str] = {}

    def add(self, field: str, make: Callable[[], str]) -> str:
        for _ in range(20):
            name = make()
            if name not in self.taken:
                break
        else:  # pragma: no cover - 20 clashes in a row cannot happen with fresh words
            raise RuntimeError(f"no free name for {field}")
        self.taken.add(name)
        self.of[field] = name
        return name

    def default(self, field: str) -> str:
        """The naming rule every open field follows unless told otherwise."""
        d = self.draw
        if field.endswith("_cents"):
            return self.add(field, lambda: d.money(field))
        if field.endswith("_basis_points"):
            return self.add(field, d.rate)
        return self.add(field, d.word)


class Layout:
    """Canonical field -> path. `render` fails loudly on a field nobody placed."""

    def __init__(self, paths: dict[str, Path], convert: dict[str, Callable[[Any], Any]] | None = None):
        self.paths = paths
        self.convert = convert or {}

    def render(self, record: dict) -> dict:
        out: dict = {}
        for field, value in record.items():
            if field in self.convert:
                value = self.convert[field](value)
            put(out, self.paths[field], value)
        return out

    def dotted(self, field: str) -> str | None:
        return dotted(self.paths.get(field))


def scatter(
    draw: Draw,
    fields: Iterable[str],
    names: Names | None = None,
    *,
    clusters: Iterable[Iterable[str]] = (),
    top: Iterable[str] = (),
    loose_p: float = 0.3,
) -> dict[str, Path]:
    """Paths for `fields`: each at the top level or one random object deep.

    A cluster (e.g. the money fields) goes together: all at the top level, all under one random
    object, or each under an object of its own (`{"plimbo": {"net_cents": ..}}`). Fields in
    `top` stay at the top level. Names come from `names` (drawn by the default rule if missing).
    """
    names = names or Names(draw)
    fields = list(fields)
    for f in fields:
        if f not in names.of:
            names.default(f)
    groups = draw.words.words(draw.rng.randint(1, 2))
    paths: dict[str, Path] = {}
    for cluster in clusters:
        cluster = [f for f in cluster if f in fields]
        how = draw.pick(("top", "together", "together", "apart"))
        shared = draw.word()
        for f in cluster:
            if how == "top":
                paths[f] = (names.of[f],)
            elif how == "together":
                paths[f] = (shared, names.of[f])
            else:
                paths[f] = (draw.word(), names.of[f])
    top = set(top)
    for f in fields:
        if f in paths:
            continue
        if f not in top and draw.chance(loose_p):
            paths[f] = (draw.pick(groups), names.of[f])
        else:
            paths[f] = (names.of[f],)
    return paths


def keyed(
    draw: Draw,
    fields: Iterable[str],
    key: str,
    param: str | None,
    hidden: bool = False,
    *,
    top: Iterable[str] = (),
    loose_p: float = 0.3,
) -> Layout:
    """Layout of a list entry whose `key` field identifies it; its money fields are one cluster.

    The key's name follows a convention (`Draw.key`) unless `hidden`, then it is a plain word.
    """
    fields = list(fields)
    names = Names(draw)
    names.add(key, draw.word if hidden else lambda: draw.key(param))
    money = [f for f in fields if f.endswith("_cents")]
    return Layout(scatter(draw, fields, names, clusters=[money] if money else [], top=top, loose_p=loose_p))


def plain(draw: Draw, fields: Iterable[str], *, top: Iterable[str] = (), loose_p: float = 0.3) -> Layout:
    """Layout of an open object without a key; its money fields are one cluster."""
    fields = list(fields)
    money = [f for f in fields if f.endswith("_cents")]
    return Layout(scatter(draw, fields, clusters=[money] if money else [], top=top, loose_p=loose_p))
