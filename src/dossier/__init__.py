"""dossier: debt-collection documents from claim data and dated, sourced jurisdiction rules.

The Python API (see README): ``load_claim``, ``load_rules``, ``statement``, ``render``.
"""

from dossier.api import batch, bundle, load_claim, load_rules, render, statement

__all__ = ["batch", "bundle", "load_claim", "load_rules", "render", "statement"]
__version__ = "0.1.0"
