"""YAML that remembers where each mapping stands, so errors in hand-written files can name the line."""

from __future__ import annotations

from typing import Any

from workbench.errors import WorkbenchError

LINE = "__line__"


def _loader(error: type[WorkbenchError]) -> type:
    import yaml

    class LineLoader(yaml.SafeLoader):
        """A SafeLoader that stores each mapping's line under LINE and refuses repeated keys."""

        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
            keys = [self.construct_object(k, deep=deep) for k, _ in node.value]
            duplicates = {k for k in keys if keys.count(k) > 1}
            if duplicates:
                raise error(f"line {node.start_mark.line + 1}: key {sorted(map(str, duplicates))[0]!r} appears twice")
            mapping = super().construct_mapping(node, deep=True)
            mapping[LINE] = node.start_mark.line + 1
            return mapping

    return LineLoader


def load_yaml(text: str, source: str, error: type[WorkbenchError], *, max_depth: int = 120, too_deep: str = "") -> Any:
    """Parse YAML; any problem raises `error` with one line naming `source` and, where known, the line.

    PyYAML builds nested collections recursively, so nesting deeper than `max_depth` is refused first, by a pass
    over its (iterative) event stream, rather than left to raise RecursionError; `too_deep` ends that message.
    """
    import yaml

    try:
        _check_depth(text, source, error, max_depth, too_deep)
        return yaml.load(text, Loader=_loader(error))  # noqa: S506 - a SafeLoader subclass
    except WorkbenchError as exc:
        if str(exc).startswith(f"{source}: "):
            raise
        raise error(f"{source}: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}:" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error(f"{source}:{where} not valid YAML ({problem})") from None


def _check_depth(text: str, source: str, error: type[WorkbenchError], max_depth: int, too_deep: str) -> None:
    import yaml

    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > max_depth:
                line = event.start_mark.line + 1 if event.start_mark is not None else "?"
                raise error(f"{source}: line {line}: nested more than {max_depth} levels deep{too_deep}")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def check_keys(source: str, node: dict[str, Any], allowed: tuple[str, ...], what: str, error: type[WorkbenchError]) -> None:
    """Refuse keys a hand-written mapping should not have, naming the first and the allowed ones."""
    unknown = sorted(str(k) for k in node if k not in allowed and k != LINE)
    if unknown:
        raise error(f"{source}: line {node[LINE]}: unknown key {unknown[0]!r} in {what} (allowed: {', '.join(allowed)})")
