"""YAML with line numbers: `yaml.safe_load`'s values and the node tree, from one parse.

Rule files may come from untrusted repositories (pre-commit), so they are read with the
safe loader only; the nodes (which run no constructors) give each key's line.
"""

from __future__ import annotations

from typing import Any

import yaml

try:  # the C loader is much faster; both are safe loaders
    _SafeLoader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _SafeLoader = yaml.SafeLoader


def safe_load_with_nodes(text: str) -> tuple[yaml.Node | None, Any]:
    """What `yaml.safe_load` does, keeping the node tree for line numbers (one parse)."""
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


def value_node(mapping: yaml.Node, key: str) -> yaml.Node | None:
    if isinstance(mapping, yaml.MappingNode):
        for key_node, value in mapping.value:
            if getattr(key_node, "value", None) == key:
                return value
    return None


def key_line(mapping: yaml.Node, key: str) -> int:
    if isinstance(mapping, yaml.MappingNode):
        for key_node, _ in mapping.value:
            if getattr(key_node, "value", None) == key:
                return key_node.start_mark.line + 1
    return mapping.start_mark.line + 1
