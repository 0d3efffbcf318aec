"""dossier: debt-collection documents from claim data and dated, sourced jurisdiction rules.

The Python API (see README): ``load_claim``, ``load_rules``, ``statement``, ``render``, ``bundle``, ``batch``,
``verify``, ``record``, ``send``.
They are imported from ``dossier.api`` on first use, so that ``import dossier`` (and every ``dossier`` command)
does not pay for the rendering libraries it may not need.
"""

from __future__ import annotations

import sys
import types
from typing import Any

__all__ = ["batch", "bundle", "load_claim", "load_rules", "record", "render", "send", "statement", "verify"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in __all__:
        from dossier import api

        value = getattr(api, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """``render``, ``bundle`` and ``batch`` are API functions and also subpackages. Importing a subpackage sets
    the package's attribute of that name; here it is not allowed to replace the function (with the API imported
    up front, the function was bound last and stayed)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in __all__ and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
