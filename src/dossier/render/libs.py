"""WeasyPrint, imported on first use only.

Importing it loads Pango and HarfBuzz: most of a second, and impossible on a machine without them. Commands that
make no PDF therefore never import it (they start fast and work without those libraries); those that do get a
``MissingLibrary`` error naming the Debian packages to install instead of a traceback.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import io
import shutil
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
    if not _cleanup_registered:
        _cleanup_registered.append(atexit.register(_remove_font_folders))
    return PdfRenderer


_cleanup_registered: list[object] = []


def _remove_font_folders() -> None:
    """Remove the temporary folders of WeasyPrint's font configurations still alive at exit.

    WeasyPrint removes them in ``FontConfiguration.__del__``. Imported late (as here), its modules are cleared
    before ours at interpreter exit, so a configuration kept by one of our caches would be deleted after that: its
    ``__del__`` fails ("Exception ignored ... 'NoneType' object is not callable") and the folder stays behind.
    """
    from weasyprint.text.fonts import FontConfiguration

    for item in gc.get_objects():
        if isinstance(item, FontConfiguration) and getattr(item, "_folder", None):
            shutil.rmtree(item._folder, ignore_errors=True)
            item._folder = None


def harfbuzz_subsetting_available() -> bool:
    """Whether WeasyPrint found libharfbuzz-subset (without it every PDF is about 4x slower);
    ``MissingLibrary`` when WeasyPrint cannot load at all."""
    pdf_renderer_class()
    from dossier.render.pdf import harfbuzz_subsetting_available as available

    return available()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
