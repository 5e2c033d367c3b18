"""scripts/bench.py's arithmetic and table, without starting a server (``make bench`` does)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH_PATH = Path(__file__).resolve().parent.parent / "scripts" / "bench.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench", BENCH_PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = module  # dataclasses look their module up by name
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop("bench", None)


def test_percentile_interpolates_between_ranks(bench):
    assert bench.percentile([], 95) is None
    assert bench.percentile([4.0], 95) == 4.0
    assert bench.percentile([1.0, 2.0, 3.0, 4.0, 5.0], 50) == 3.0
    assert bench.percentile(list(map(float, range(101))), 95) == pytest.approx(95.0)


def test_pages_compare_with_robots_txt_and_api_rows_with_the_api_root(bench):
    assert bench.baseline_for(bench.Row("home", "/")) == bench.TRIVIAL_PAGE
    assert bench.baseline_for(bench.Row("me", "/api/v1/me/", auth="staff")) == bench.TRIVIAL_API
    assert bench.TRIVIAL_PAGE.path == "/robots.txt"
    assert bench.TRIVIAL_API.path == "/api/v1/"


def test_every_row_is_unique_and_uses_a_known_account(bench):
    names = [row.name for row in bench.PAGES]
    assert len(names) == len(set(names))
    for row in bench.PAGES:
        assert row.path.startswith("/")
        assert row.auth is None or row.auth in bench.ACCOUNTS


def test_only_keeps_the_baselines(bench):
    rows = bench.select_rows(["ME (TOKEN)"])
    assert rows[:2] == [bench.TRIVIAL_PAGE, bench.TRIVIAL_API]
    assert [row.name for row in rows[2:]] == ["API me (token)"]
    assert bench.select_rows(["no such row"]) == [bench.TRIVIAL_PAGE, bench.TRIVIAL_API]
    assert len(bench.select_rows(None)) == 2 + len(bench.PAGES)


def test_table_shows_ratios_and_unexpected_statuses(bench):
    home = bench.Row("home", "/")
    results = {
        bench.TRIVIAL_PAGE: bench.Result(bench.TRIVIAL_PAGE, [2.0, 2.0, 2.0], {200: 3}),
        bench.TRIVIAL_API: bench.Result(bench.TRIVIAL_API, [], {}, error="boom"),
        home: bench.Result(home, [6.0, 6.0, 8.0], {200: 2, 302: 1}),
    }
    table = bench.format_table(results).splitlines()
    assert table[0].split() == ["name", "path", "n", "median", "ms", "p95", "ms", "ratio", "note"]
    home_line = next(line for line in table if line.startswith("home"))
    assert "3.00" in home_line  # 6 ms / 2 ms
    assert "HTTP 302 x1" in home_line
    api_line = next(line for line in table if line.startswith("trivial API"))
    assert "boom" in api_line


def test_options(bench):
    args = bench.parse_args([])
    assert args.requests == 200
    assert args.only is None
    args = bench.parse_args(["--requests", "5", "--only", "home", "--only", "schema"])
    assert (args.requests, args.only) == (5, ["home", "schema"])
    with pytest.raises(SystemExit):
        bench.parse_args(["--requests", "0"])
