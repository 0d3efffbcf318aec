"""dossier: debt-collection documents from claim data and dated, sourced jurisdiction rules.

The Python API (see README): ``load_claim``, ``load_rules``, ``statement``, ``render``, ``bundle``, ``batch``.
They are imported from ``dossier.api`` on first use, so that ``import dossier`` (and every ``dossier`` command)
does not pay for the rendering libraries it may not need.
"""

from __future__ import annotations

from typing import Any

__all__ = ["batch", "bundle", "load_claim", "load_rules", "render", "statement"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in __all__:
        from dossier import api

        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
