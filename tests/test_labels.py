"""Status words, colours and comparators pinned to literal values (issue 17, item 17).

These tests compare with strings and hex codes written here, never with the package's own
tables, so that swapping two words or colours, or loosening a comparator, fails.
"""

from __future__ import annotations

import doctest

import pandas as pd
import pytest
from matplotlib.colors import to_hex

from cchc_analysis import labels as L
from cchc_analysis import style as S
from cchc_analysis.gaps import assess_targets

try:
    from synthetic import synthetic_indicators, synthetic_no_breaks, synthetic_targets
except ImportError:  # tests/ collected as a package
    from tests.synthetic import synthetic_indicators, synthetic_no_breaks, synthetic_targets

WORDS = {
    "met": ("Đạt", "Met"),
    "on track": ("Đúng tiến độ", "On track"),
    "off track": ("Chậm tiến độ", "Off track"),
    "not met": ("Không đạt", "Not met"),
    "no data": ("Chưa có số liệu", "No data"),
    "not measurable": ("Không đo được", "Not measurable"),
}
COLOURS = {  # Okabe-Ito: bluish green, sky blue, orange, vermillion, grey
    "met": "#009e73",
    "on track": "#56b4e9",
    "off track": "#e69f00",
    "not met": "#d55e00",
    "no data": "#999999",
    "not measurable": "#999999",
}


@pytest.mark.parametrize("status", list(WORDS))
def test_status_words_are_pinned_in_both_languages(status):
    vi, en = WORDS[status]
    assert L.status_label(status, "vi") == vi
    assert L.status_label(status, "en") == en


@pytest.mark.parametrize("status", list(COLOURS))
def test_status_colours_are_pinned_by_hex(status):
    assert to_hex(S.STATUS_COLOURS[status]) == COLOURS[status]


def test_status_order_and_coefficient_names():
    assert L.STATUSES == ("met", "on track", "off track", "not met", "no data", "not measurable")
    assert L.COEFFICIENT_NAMES == {"spearman": "Spearman ρ", "kendall": "Kendall τ-b", "pearson": "Pearson r"}
    assert (L.gap_unit_label("percentage points", "vi"), L.gap_unit_label("percentage points", "en")) == ("điểm %", "pp")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_target_chart_writes_the_pinned_words_and_colours(lang):
    from cchc_analysis import plots as P

    rows = pd.DataFrame(
        [(s, f"chỉ tiêu {i}", f"target {i}", 50.0, 40.0 if s in ("not met", "off track") else 60.0) for i, s in enumerate(WORDS)],
        columns=["status", "indicator_vi", "indicator_en", "target_value", "actual"],
    )
    rows["unit"], rows["comparator"], rows["metric_field"] = "score", ">=", "value"
    rows.loc[rows["status"].isin(["no data", "not measurable"]), "actual"] = float("nan")
    (ax,) = P.plot_target_gaps(rows, caption=False, lang=lang)
    words = [t.get_text() for t in ax.texts if t.get_gid() == "status"]
    assert words == [WORDS[s][0 if lang == "vi" else 1] for s in WORDS]
    dots = [to_hex(line.get_color()) for line in ax.get_lines() if line.get_gid() == "actual"]
    assert dots == [COLOURS[s] for s in WORDS if s not in ("no data", "not measurable")]


def _grade(actual, comparator, target, *, index="sipas", field="value", unit="%"):
    data = synthetic_indicators({"49": [actual]}, index=index, years=[2023], unit="percent", ranks={"49": [int(actual)]})
    t = synthetic_targets([{"metric_index": index, "metric_field": field, "comparator": comparator, "value": target, "unit": unit}])
    return assess_targets(t, data, breaks=synthetic_no_breaks()).loc[0, "status"]


@pytest.mark.parametrize("comparator, status", [(">=", "met"), (">", "not met"), ("=", "met"), ("<=", "met"), ("<", "not met")])
def test_comparators_at_the_boundary_actual_equals_target(comparator, status):
    assert _grade(85.0, comparator, 85.0) == status


@pytest.mark.parametrize("comparator, rank, status", [("top", 20, "met"), ("<=", 20, "met"), ("<", 20, "not met"), ("top", 21, "not met")])
def test_rank_comparators_at_the_boundary(comparator, rank, status):
    assert _grade(rank, comparator, 20, index="pci", field="rank", unit="rank") == status


@pytest.mark.parametrize("comparator, actual, status", [
    (">", 85.01, "met"), ("<", 84.99, "met"), (">=", 84.99, "not met"), ("<=", 85.01, "not met"),
    ("=", 85.01, "not met"), ("=", 84.99, "not met"),
])
def test_comparators_just_beside_the_boundary(comparator, actual, status):
    assert _grade(actual, comparator, 85.0) == status


@pytest.mark.parametrize("comparator, actual, status", [(">=", 99.0, "met"), ("=", 99.0, "met"), (">=", 98.99, "not met"), (">", 99.5, "not met")])
def test_the_100_percent_rule_at_its_boundary(comparator, actual, status):
    # 100 % targets: met within 1 percentage point (project rule), 99.0 included; ">" 100 never uses it
    assert _grade(actual, comparator, 100.0) == status


@pytest.mark.parametrize("module", ["labels", "gaps", "trends", "compare"])
def test_doctests(module):
    import importlib

    mod = importlib.import_module(f"cchc_analysis.{module}")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0, f"{module}: {result}"


def test_docs_methods_states_the_constants_the_code_uses():
    from cchc_analysis import config
    from cchc_analysis.gaps import assess_targets as _a
    from cchc_analysis.trends import EXACT_MAX_N, MIN_N_INFERENCE, N_RESAMPLES
    import inspect

    path = config.PROJ_ROOT / "docs" / "methods.md"
    if not path.is_file():
        pytest.skip(f"{path} is not shipped with an installed package")
    text = path.read_text(encoding="utf-8")
    defaults = {k: v.default for k, v in inspect.signature(_a).parameters.items()}
    assert f"**Minimum n = {MIN_N_INFERENCE}**" in text and f"n ≤ {EXACT_MAX_N}" in text and f"{N_RESAMPLES:,} random" in text
    assert defaults["max_figure_age"] == 1 and "**1 year older**" in text
    assert defaults["on_track_ratio"] == 0.95 and "default 0.95" in text
    assert defaults["full_target_tolerance"] == 1.0 and "**1 percentage point**" in text
