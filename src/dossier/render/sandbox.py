"""The Jinja sandbox that runs templates and wording, with bounds on what one expression may build.

Jinja's sandbox keeps a template from reaching Python internals, but not from asking for a gigabyte in one
expression: ``{{ "x" * 10**9 }}``, ``{{ 10**10**9 }}``, ``{{ "x"|center(10**9) }}``. A letter's values are
short texts, so anything building a text over ``MAX_BUILT`` characters, or a number over ``MAX_BITS`` bits, is
refused with a ``SecurityError`` (a ``TemplateProblem`` naming the template and line). It also keeps such an
expression from running when Jinja folds constants while compiling: intercepted operators are not folded.
What this cannot bound is time spent in loops (``range`` is capped at 100,000 items per loop by Jinja, loops
can nest); over HTTP, work runs in a worker that is killed at the time limit.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sized
from typing import Any

from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

MAX_BUILT = 1_000_000
"""Characters (or items) one repetition or padding may build: a whole letter's HTML is about 50,000."""

MAX_BITS = 100_000
"""Bits of an integer power (about 30,000 digits, far more than any amount needs)."""

_PADDING_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
_PADDING_FILTERS = ("center", "indent")


def _refuse_size(size: int, what: str) -> None:
    if size > MAX_BUILT:
        raise SecurityError(f"{what} would build {size:,} characters, over the limit of {MAX_BUILT:,}")


def _big_ints(args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    return max((abs(v) for v in (*args, *kwargs.values()) if isinstance(v, int) and not isinstance(v, bool)), default=0)


def _power_bits(base: Any, exponent: Any) -> int:
    """Roughly how many bits ``base ** exponent`` takes (0 when it is not a growing integer power)."""
    if not (isinstance(base, int) and isinstance(exponent, int)) or exponent <= 0 or abs(base) <= 1:
        return 0
    return exponent * abs(base).bit_length()


def _bounded_filter(func: Callable[..., Any], name: str) -> Callable[..., Any]:
    @functools.wraps(func)  # keeps Jinja's pass_context/pass_environment marks
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _refuse_size(_big_ints(args, kwargs), f"the filter {name}")
        return func(*args, **kwargs)

    return bounded


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, refusing an expression that would build a huge text, list or number."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        for name in _PADDING_FILTERS:
            self.filters[name] = _bounded_filter(self.filters[name], name)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, Sized) and isinstance(times, int) and not isinstance(seq, int):
                    _refuse_size(len(seq) * times, "a repetition")
        elif operator == "**" and _power_bits(left, right) > MAX_BITS:
            raise SecurityError(f"a power would build a number of over {MAX_BITS:,} bits")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if getattr(__obj, "__name__", None) in _PADDING_METHODS and isinstance(getattr(__obj, "__self__", None), str):
            _refuse_size(_big_ints(args, kwargs), f"the method {__obj.__name__}")
        return super().call(__context, __obj, *args, **kwargs)
