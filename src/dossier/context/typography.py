"""French typography for generated text: elision before a name, and the non-breaking spaces French wants.

Generated phrases put a name after "de" ("les factures de {{ creditor.name }}"), so "de" must become "d'" before a
vowel or a mute h ("d'Imprimerie Lumière", "en qualité d'avocat"). French sets a non-breaking space before
``: ; ? !`` and inside ``« »`` (Imprimerie nationale, *Lexique des règles typographiques*): a no-break space
(U+00A0) before the colon and inside guillemets, a narrow one (U+202F) before ``; ? !``.
"""

from __future__ import annotations

import re
import unicodedata

NBSP = "\u00a0"
NNBSP = "\u202f"

# words whose h is mute (elided: "l'huissier", "d'hôtel"); every other h is taken as aspirated ("de Harbour")
_MUTE_H = ("habit", "heur", "hier", "histoir", "homme", "honn", "honor", "hôp", "hôt", "huil", "huiss", "hum", "hyp")


def starts_with_vowel_sound(word: str) -> bool:
    """Whether French elides before ``word``: a vowel (accents and capitals included) or a mute h."""
    stripped = word.lstrip(" «\"'(")
    if not stripped:
        return False
    first = unicodedata.normalize("NFD", stripped[0])[0].lower()
    if first in "aeiouy":
        return True
    return first == "h" and stripped.lower().startswith(_MUTE_H)


def de(word: str) -> str:
    """``de`` before ``word``, elided when French wants it: "de ACME SRL" but "d'Imprimerie Lumière", "d'avocat"."""
    return f"d'{word}" if starts_with_vowel_sound(word) else f"de {word}"


def le(word: str) -> str:
    """``le`` before ``word``, elided when French wants it: "le créancier" but "l'huissier"."""
    return f"l'{word}" if starts_with_vowel_sound(word) else f"le {word}"


_SPACE_BEFORE = re.compile(r"(?<=\S)[ \u00a0\u202f]*([;?!])(?=\s|$|[»)\"])")
_COLON = re.compile(r"(?<=\S)[ \u00a0\u202f]*:(?=\s|$)")
_OPEN = re.compile(r"«[ \u00a0\u202f]*")
_CLOSE = re.compile(r"[ \u00a0\u202f]*»")


def french_spacing(text: str) -> str:
    """``text`` with French non-breaking spaces: "Total :" -> "Total\u00a0:", "« x »" -> "«\u00a0x\u00a0»".

    A colon inside a word (``https://``, ``10:30``) and a ``?`` inside a URL are left alone: only punctuation
    followed by a space, a closing mark or the end is spaced."""
    text = _SPACE_BEFORE.sub(lambda m: NNBSP + m.group(1), text)
    text = _COLON.sub(NBSP + ":", text)
    text = _OPEN.sub("«" + NBSP, text)
    return _CLOSE.sub(NBSP + "»", text)


def upper_first(word: str) -> str:
    """``word`` with its first letter a capital and the rest untouched ("de Vries" -> "De Vries")."""
    return word[:1].upper() + word[1:]
