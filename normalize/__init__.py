"""metanorm: multilingual metadata normalizer for scraped text records.

from normalize import Normalizer
n = Normalizer()                  # default rules; Normalizer(rules=["my_rules/"])
record = n.normalize({"title": "…", "date": "28.01.2022", "text": "…"})
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Normalizer", "NormalizerOptions", "__version__"]

if TYPE_CHECKING:
    from normalize.normalizer import Normalizer, NormalizerOptions


def __getattr__(name: str) -> Any:
    """Import the engine on first use, so that `metanorm --help` starts fast."""
    if name in ("Normalizer", "NormalizerOptions"):
        from normalize import normalizer

        return getattr(normalizer, name)
    raise AttributeError(f"module 'normalize' has no attribute {name!r}")
