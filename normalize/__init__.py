"""metanorm: multilingual metadata normalizer for scraped text records.

from normalize import Normalizer
n = Normalizer()                  # default rules; Normalizer(rules=["my_rules/"])
record = n.normalize({"title": "…", "date": "28.01.2022", "text": "…"})
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Normalizer", "NormalizerOptions", "__version__"]
# per-value functions and their result types (normalize/values.py)
_VALUES = ("fix_text", "parse_date", "detect_language", "find_places", "ParsedDate", "Detection")
_VALUES += ("Place", "ExplainedValue", "fix_text_and_explain", "parse_date_and_explain")
_VALUES += ("detect_language_and_explain", "find_places_and_explain")
__all__ += _VALUES

if TYPE_CHECKING:
    from normalize.normalizer import Normalizer, NormalizerOptions
    from normalize.values import (  # noqa: F401
        Detection,
        ExplainedValue,
        ParsedDate,
        Place,
        detect_language,
        detect_language_and_explain,
        find_places,
        find_places_and_explain,
        fix_text,
        fix_text_and_explain,
        parse_date,
        parse_date_and_explain,
    )


def __getattr__(name: str) -> Any:
    """Import the engine on first use, so that `metanorm --help` starts fast."""
    if name in ("Normalizer", "NormalizerOptions"):
        from normalize import normalizer

        return getattr(normalizer, name)
    if name in _VALUES:
        from normalize import values

        return getattr(values, name)
    raise AttributeError(f"module 'normalize' has no attribute {name!r}")
