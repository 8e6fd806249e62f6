"""Every example in the library's docstrings runs and gives the answer it shows."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import putuo_geo

MODULES = sorted(m.name for m in pkgutil.walk_packages(putuo_geo.__path__, "putuo_geo."))


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_examples_hold(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"
