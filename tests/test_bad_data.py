"""The bad-data corpus (tests/bad_data.py) through the validator, the CLI and the page.

For each defect: ``putuo-geo validate`` exits 1 naming the file, the feature and the
problem; the page shows one error panel and no map (no traceback); and nothing is
dropped silently: the folder never loads, and the problems are exactly the defect's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bad_data import Case, cases, make_case
from streamlit.testing.v1 import AppTest
from test_app import unescape_markdown

from putuo_geo import cli, errors, layers

ROOT = Path(__file__).resolve().parent.parent
CASES = cases()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("bad_data")
    return {case.name: make_case(case, root / case.name) for case in CASES}


def _matches(problem: str, pattern: tuple[str, ...]) -> bool:
    return all(words in problem for words in pattern)


def check_problems(case: Case, problems: list[str]) -> None:
    low, high = case.count_range()
    assert low <= len(problems) <= high, problems
    for problem in problems:
        assert any(_matches(problem, p) for p in case.expected), problem
    for pattern in case.expected:
        assert any(_matches(problem, pattern) for problem in problems), (pattern, problems)


def test_the_real_data_is_valid_and_loads_every_feature():
    assert layers.validate_dir(ROOT / "geo") == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_validator_names_file_feature_and_problem(case, corpus):
    problems = layers.validate_dir(corpus[case.name])
    check_problems(case, problems)
    with pytest.raises(errors.DataValidationError) as info:
        layers.load_atlas(corpus[case.name])  # never a partial atlas
    assert info.value.problems == problems


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_cli_validate_exits_1_and_lists_the_problems(case, corpus, capsys):
    code = cli.main(["validate", str(corpus[case.name])])
    out, err = capsys.readouterr()
    assert (code, err) == (1, "")
    lines = [line.removeprefix("  - ") for line in out.splitlines()[1:]]
    check_problems(case, lines)
    assert "Traceback" not in out


def test_cli_validate_exit_code_in_a_real_process(corpus):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name in ("gcj02_stations", "huge_file"):
        proc = subprocess.run(
            [sys.executable, "-m", "putuo_geo.cli", "validate", str(corpus[name])],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert proc.returncode == 1, proc.stderr
        assert "problem" in proc.stdout
        assert proc.stderr == ""


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_page_shows_an_error_panel_not_a_traceback(case, corpus, monkeypatch):
    monkeypatch.setenv("PUTUO_GEO_DATA", str(corpus[case.name]))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (panel,) = at.error
    text = unescape_markdown(panel.value)
    assert "cannot be shown" in text
    check_problems(case, [line.removeprefix("- ") for line in text.splitlines()[2:]])
    assert not at.get("component_instance")  # no map drawn from half the data
