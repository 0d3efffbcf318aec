"""WeasyPrint, imported on first use only.

Importing it loads Pango and HarfBuzz: most of a second, and impossible on a machine without them. Commands that
make no PDF therefore never import it (they start fast and work without those libraries); those that do get a
``MissingLibrary`` error naming the Debian packages to install instead of a traceback.
"""

from __future__ import annotations

import contextlib
import io
from typing import TYPE_CHECKING

from dossier.errors import DossierError

if TYPE_CHECKING:
    from dossier.render.pdf import PdfRenderer

#: the Debian/Ubuntu packages WeasyPrint needs (README's first command installs them)
DEBIAN_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"


class MissingLibrary(DossierError):
    """A library that PDF output needs is not installed on this machine."""


def pdf_renderer_class() -> type[PdfRenderer]:
    """``dossier.render.pdf.PdfRenderer``, importing WeasyPrint now; ``MissingLibrary`` if it cannot load."""
    try:
        # WeasyPrint prints a banner on standard output before it re-raises: keep it out of JSON output
        with contextlib.redirect_stdout(io.StringIO()):
            from dossier.render.pdf import PdfRenderer
    except OSError as exc:
        raise MissingLibrary(
            f"PDF output needs WeasyPrint's system libraries, which cannot be loaded ({_first_line(exc)})",
            hint=f"on Debian or Ubuntu: apt-get install {DEBIAN_PACKAGES}",
        ) from None
    except ImportError as exc:
        if (exc.name or "").startswith("dossier"):
            raise
        raise MissingLibrary(
            f"PDF output needs WeasyPrint, which cannot be imported ({_first_line(exc)})",
            hint=f"pip install weasyprint; on Debian or Ubuntu also apt-get install {DEBIAN_PACKAGES}",
        ) from None
    return PdfRenderer


def harfbuzz_subsetting_available() -> bool:
    """Whether WeasyPrint found libharfbuzz-subset (without it every PDF is about 4x slower);
    ``MissingLibrary`` when WeasyPrint cannot load at all."""
    pdf_renderer_class()
    from dossier.render.pdf import harfbuzz_subsetting_available as available

    return available()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
