"""cchc-analysis: Vietnam's provincial administrative reform, in tidy sourced data.

Which provinces promised what (targets in reform plans), did they get there, and how do
provinces and indices (PAR Index, SIPAS, PAPI, PCI, DTI) move over the years?

The public API is re-exported here and imported lazily, so ``import cchc_analysis``
stays fast: pandas, scipy and matplotlib load only when a function needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# name -> module that defines it
_EXPORTS: dict[str, str] = {
    # registry
    "Province": "provinces",
    "UnknownProvinceError": "provinces",
    "resolve_province": "provinces",
    "resolve_provinces": "provinces",
    "successor": "provinces",
    "members_2025": "provinces",
    "list_provinces": "provinces",
    "province_table": "provinces",
    "region_names": "provinces",
    # indicator data
    "load_indicators": "indicators",
    "load_sources": "indicators",
    "load_breaks": "indicators",
    "load_aggregates": "indicators",
    "load_components": "indicators",
    "load_alternatives": "indicators",
    "coverage": "indicators",
    "read_table": "readers.generic",
    "SchemaError": "schema",
    "validate_indicators": "schema",
    "set_data_dir": "config",
    # targets
    "load_targets": "targets",
    "load_documents": "targets",
    "extract_targets": "extract",
    # analysis
    "trend_table": "trends",
    "series_trend": "trends",
    "spanned_breaks": "trends",
    "ComparabilityBreakError": "trends",
    "assess_targets": "gaps",
    "compare_targets": "ambition",
    "target_matrix": "ambition",
    "target_summary": "ambition",
    "brief_table": "ambition",
    "plot_target_ladder": "ambition",
    "plot_ambition_achievement": "ambition",
    "compare_province": "compare",
    "rank_from_scores": "compare",
    "index_correlations": "compare",
    "sigma_convergence": "compare",
    "rank_mobility": "compare",
    "successor_view": "compare",
    "rank_changes": "compare",
    "percentile_ranks": "compare",
    # figures
    "use_style": "style",
    "source_caption": "style",
    "save_figure": "export",
    "plot_trend": "plots",
    "plot_rank_bump": "plots",
    "plot_heatmap": "plots",
    "plot_target_gaps": "plots",
    "plot_index_scatter": "plots",
    "plot_profile": "plots",
    "plot_region_distribution": "plots",
    # maps
    "plot_map": "maps",
    "plot_map_grid": "maps",
    "plot_target_map": "maps",
    "provinces_meeting_target": "maps",
    "BoundaryMismatchError": "geo",
    # notebooks
    "show_table": "tables",
    "selection_table": "explore",
}

__all__ = sorted([*_EXPORTS, "explore"]) + ["__version__"]

# imported now (standard library only), not lazily: a module and a function both named
# ``explore`` would otherwise let ``import cchc_analysis.explore`` shadow the function
from .explore import explore  # noqa: E402


_SUBMODULES = frozenset(
    {"ambition", "build", "cli", "compare", "config", "export", "extract", "gaps", "geo", "indicators", "labels", "maps",
     "notebook", "plots", "provinces", "readers", "report", "schema", "style", "tables", "targets", "trends"}
)


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:  # cchc.plots, cchc.trends ... without an explicit import
        return importlib.import_module(f".{name}", __name__)
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'cchc_analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from .ambition import (  # noqa: F401
        brief_table,
        compare_targets,
        plot_ambition_achievement,
        plot_target_ladder,
        target_matrix,
        target_summary,
    )
    from .compare import (  # noqa: F401
        compare_province,
        index_correlations,
        percentile_ranks,
        rank_from_scores,
        rank_mobility,
        sigma_convergence,
        successor_view,
    )
    from .explore import selection_table  # noqa: F401
    from .export import save_figure  # noqa: F401
    from .extract import extract_targets  # noqa: F401
    from .gaps import assess_targets  # noqa: F401
    from .geo import BoundaryMismatchError  # noqa: F401
    from .indicators import (  # noqa: F401
        coverage,
        load_aggregates,
        load_alternatives,
        load_breaks,
        load_components,
        load_indicators,
        load_sources,
    )
    from .maps import plot_map, plot_map_grid, plot_target_map, provinces_meeting_target  # noqa: F401
    from .provinces import (  # noqa: F401
        Province,
        UnknownProvinceError,
        list_provinces,
        members_2025,
        province_table,
        region_names,
        resolve_province,
        resolve_provinces,
        successor,
    )
    from .readers.generic import read_table  # noqa: F401
    from .schema import SchemaError, validate_indicators  # noqa: F401
    from .config import set_data_dir  # noqa: F401
    from .style import use_style  # noqa: F401
    from .tables import show_table  # noqa: F401
    from .targets import load_documents, load_targets  # noqa: F401
    from .trends import ComparabilityBreakError, trend_table  # noqa: F401
