"""Optional compilation of the array kernels with numba.

The kernels in this package are plain Python functions over flat arrays. When numba is installed they are
compiled (lazily, on first call, cached on disk); without it they run as ordinary Python over lists, which is
~100x slower but gives identical results. Nothing is imported or compiled at import time.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

__all__ = ["kernel", "numba_available"]

_DISABLED = os.environ.get("TALENTBRIDGE_NO_NUMBA", "") not in ("", "0")


def numba_available() -> bool:
    if _DISABLED:
        return False
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


class _Kernel:
    """A function that is numba-compiled on first use when numba is available, else run as Python."""

    def __init__(self, func: Callable[..., Any]) -> None:
        self.py_func = func
        self._compiled: Callable[..., Any] | None = None
        self.__doc__ = func.__doc__
        self.__name__ = func.__name__

    @property
    def compiled(self) -> bool:
        return numba_available()

    def __call__(self, *args: Any, jit: bool | None = None) -> Any:
        use_jit = numba_available() if jit is None else (jit and numba_available())
        if not use_jit:
            return self.py_func(*args)
        if self._compiled is None:
            import numba

            self._compiled = numba.njit(cache=True, nogil=True)(self.py_func)
        return self._compiled(*args)


def kernel(func: Callable[..., Any]) -> _Kernel:
    return _Kernel(func)
