"""YAML and JSON reading that refuses ambiguity.

PyYAML silently keeps the last of two duplicate keys, turns ``1.10`` into a
binary float and ``2025-02-30`` into an exception with no field name. For legal
data that is not acceptable, so this loader:

- raises on duplicate keys, naming the line;
- keeps dates as text, so that the schema layer can report a bad date with its field path;
- reads numbers either from their exact text as ``Decimal`` (claims: a user who types
  ``amount: 1210.00`` means exactly that) or refuses them (rules: numbers are strings);
- never lets YAML 1.1 change what a number means: ``0100`` (octal 64), ``20:10`` (base 60: 1210),
  ``0x4BA``, ``.inf`` and ``.nan`` are kept as their text (an ``UnquotedNumber``) in claims, which the
  claim's number fields refuse naming the field and its text fields take as written, and are refused in rules;
- turns hostile shapes (a list or mapping as a key, nesting deep enough to exhaust the stack, a 5,000-digit
  integer) into the same located error as any other malformed file.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import yaml

from dossier.errors import DossierError

NumberPolicy = Literal["decimal", "refuse"]


class _DuplicateKey(Exception):
    def __init__(self, key: object, line: int) -> None:
        super().__init__(f"duplicate key {key!r} at line {line}")


class _FloatRefused(Exception):
    def __init__(self, text: str, line: int) -> None:
        super().__init__(
            f'number {text} at line {line} must be written as a string ("{text}"): '
            "legal figures are exact decimals, never floats"
        )


class _BadKey(Exception):
    def __init__(self, key: object, line: int) -> None:
        kind = "a list" if isinstance(key, list) else "a mapping" if isinstance(key, dict) else "not a plain value"
        super().__init__(f"the key at line {line} is {kind}; keys must be plain field names")


class _AmbiguousNumber(Exception):
    def __init__(self, text: str, line: int) -> None:
        super().__init__(
            f"number {text} at line {line} is ambiguous (YAML 1.1 reads it as octal, hexadecimal, base 60 or not a "
            f'number); write what you mean as a string, e.g. "{text}"'
        )


class UnquotedNumber(str):
    """The exact text of an unquoted YAML scalar that YAML 1.1 would read as a number other than the one written:
    ``0100`` (octal: 64), ``20:10`` (base 60: 1210), ``0x4BA``, ``0b11``, ``.inf``, ``.nan``. Number fields
    refuse it with their field name; text fields (a postal code ``01000``, a summary ``20:10``) take it as written."""

    __slots__ = ()


#: an integer as a person writes it: no leading zero (octal), no base prefix, no colon (base 60)
_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9_]*)")
#: a decimal number as a person writes it, with an optional exponent: no colon (base 60), no .inf/.nan
_PLAIN_FLOAT = re.compile(r"[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?")
#: longer integers are kept as Decimal: Python refuses to convert integers of more than 4,300 digits, and no
#: field of a claim needs more than 30 (amounts are bounded far below)
_INT_DIGITS = 30


def _integer(text: str) -> int | Decimal:
    digits = text.replace("_", "")
    return int(digits) if len(digits) <= _INT_DIGITS else Decimal(digits)


# libyaml's parser when PyYAML was built with it (about 8x faster); the constructors below are the same
_BASE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _loader(numbers: NumberPolicy) -> type[yaml.SafeLoader]:
    class Loader(_BASE):  # type: ignore[valid-type,misc]
        pass

    def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False):
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, list | dict | set):
                raise _BadKey(key, key_node.start_mark.line + 1)
            if key in result:
                raise _DuplicateKey(key, key_node.start_mark.line + 1)
            result[key] = loader.construct_object(value_node, deep=True)
        return result

    def construct_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
        return str(loader.construct_scalar(node))

    def construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | Decimal | str:
        text = str(loader.construct_scalar(node))
        if _PLAIN_INT.fullmatch(text):
            return _integer(text)
        if numbers == "refuse":
            raise _AmbiguousNumber(text, node.start_mark.line + 1)
        return UnquotedNumber(text)

    def construct_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal | str:
        text = str(loader.construct_scalar(node))
        if numbers == "refuse":
            raise _FloatRefused(text, node.start_mark.line + 1)
        if _PLAIN_FLOAT.fullmatch(text) and any(c.isdigit() for c in text):
            return Decimal(text.replace("_", ""))
        return UnquotedNumber(text)

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    Loader.add_constructor("tag:yaml.org,2002:timestamp", construct_text)
    Loader.add_constructor("tag:yaml.org,2002:int", construct_int)
    Loader.add_constructor("tag:yaml.org,2002:float", construct_float)
    return Loader


_LOADERS: dict[str, type[yaml.SafeLoader]] = {p: _loader(p) for p in ("decimal", "refuse")}


def load_text(
    text: str,
    *,
    file: str,
    numbers: NumberPolicy,
    error: type[DossierError] = DossierError,
    fmt: Literal["yaml", "json"] = "yaml",
) -> Any:
    """Parse YAML or JSON text; every failure becomes ``error`` naming ``file``."""
    try:
        if fmt == "json":
            return json.loads(
                text,
                parse_float=Decimal,
                parse_int=_integer,
                parse_constant=_json_constant,
                object_pairs_hook=_json_pairs,
            )
        return yaml.load(text, Loader=_LOADERS[numbers])
    except (_DuplicateKey, _FloatRefused, _BadKey, _AmbiguousNumber, _JsonConstant) as exc:
        raise error(str(exc), file=file) from exc
    except RecursionError:
        raise error("nested too deeply to be a claim or rules file", file=file) from None
    except json.JSONDecodeError as exc:
        raise error(f"not valid JSON: {exc.msg} at line {exc.lineno}", file=file) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise error(f"not valid YAML: {exc.problem}{where}", file=file) from exc
    except yaml.YAMLError as exc:
        raise error(f"not valid YAML: {exc}", file=file) from exc


def json_line(raw: bytes | str) -> Any:
    """One line of a JSON Lines file dossier keeps (journal, ledger, manifest, payment ledger, lock): the value,
    or ``ValueError`` for every way a damaged or planted line fails (not JSON, not UTF-8, nested 100,000 deep: a
    ``RecursionError``, a 5,000-digit number: Python's integer limit), so that readers skip or name it."""
    try:
        return json.loads(raw)
    except RecursionError:
        raise ValueError("nested too deeply") from None


class _JsonConstant(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(f"not valid JSON: {name} is not a number JSON allows")


def _json_constant(name: str) -> Any:
    raise _JsonConstant(name)


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key, 0)
        result[key] = value
    return result


def load_file(
    path: Path, *, numbers: NumberPolicy, error: type[DossierError] = DossierError, label: str | None = None
) -> Any:
    """Read and parse a YAML (or ``.json``) file, naming it by ``label`` in errors."""
    name = label or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise error("file not found", file=name) from exc
    except UnicodeDecodeError as exc:
        raise error("not UTF-8 text", file=name) from exc
    except OSError as exc:
        raise error(f"cannot be read: {exc.strerror}", file=name) from exc
    fmt: Literal["yaml", "json"] = "json" if path.suffix == ".json" else "yaml"
    return load_text(text, file=name, numbers=numbers, error=error, fmt=fmt)
