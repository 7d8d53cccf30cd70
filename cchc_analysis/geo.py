"""Province polygons bundled with the package, for maps.

Two boundary sets, as in the province registry:

* ``"legacy"`` -- the 63 provinces and cities of 2008 to 30 June 2025
  (``geodata/vn_provinces_63_legacy.geojson``, key ``gso_code``: the GSO code before 2025);
* ``"2025"`` -- the 34 units from 1 July 2025 (``geodata/vn_provinces_34_2025.geojson``,
  key ``gso_code``: the GSO code from 2025).

**Join on codes, never on names, and only within one set.**  Seven GSO codes mean
different provinces before and after 1 July 2025 (15, 24, 44, 52, 80, 82, 91; e.g. 15 was
Yên Bái and is now Lào Cai): legacy figures go on the 63 layer, 2025 figures on the 34
layer.  :func:`join_codes` refuses anything else.

The Hoàng Sa and Trường Sa archipelagos are part of Đà Nẵng (48) and Khánh Hòa (56) in
both layers; ``geodata/vn_archipelagos.geojson`` repeats their parts so that a map can
draw them as labelled insets.

Geometry: Open Development Vietnam, "Địa phận tỉnh" (data of the Department of Survey,
Mapping and Geographic Information of Viet Nam), CC BY-SA 4.0, simplified (~0.005°);
the 34 units dissolved from the 63.  WGS84 longitude/latitude, 4 decimals, RFC 7946
GeoJSON: geopandas users can read :func:`boundary_file` directly.  The files are made
by ``scripts/build_geo.py`` from ``../shared/reference-data/geo`` and read lazily, on
the first map drawn (nothing here imports numpy or matplotlib at import time).

Examples
--------
>>> shapes = province_shapes("2025")
>>> len(shapes), shapes["48"].name
(34, 'Đà Nẵng')
>>> [a.name_vi for a in archipelagos()]
['Quần đảo Hoàng Sa', 'Quần đảo Trường Sa']
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "BOUNDARY_FILES",
    "ARCHIPELAGO_FILE",
    "REUSED_CODES",
    "ATTRIBUTION",
    "Shape",
    "Archipelago",
    "BoundaryMismatchError",
    "boundary_file",
    "province_shapes",
    "archipelagos",
    "attribution",
    "join_codes",
]

#: Bundled GeoJSON per boundary set.
BOUNDARY_FILES: dict[str, str] = {"legacy": "vn_provinces_63_legacy.geojson", "2025": "vn_provinces_34_2025.geojson"}
ARCHIPELAGO_FILE = "vn_archipelagos.geojson"
#: GSO codes that name one province before 1 July 2025 and another after it.
REUSED_CODES: dict[str, tuple[str, str]] = {
    "15": ("Yên Bái", "Lào Cai"),
    "24": ("Bắc Giang", "Bắc Ninh"),
    "44": ("Quảng Bình", "Quảng Trị"),
    "52": ("Bình Định", "Gia Lai"),
    "80": ("Long An", "Tây Ninh"),
    "82": ("Tiền Giang", "Đồng Tháp"),
    "91": ("Kiên Giang", "An Giang"),
}
#: The attribution line printed on every map (from ``geodata/LICENSE.txt``), per boundary set.
ATTRIBUTION: dict[str, dict[str, str]] = {
    "legacy": {
        "vi": "Ranh giới tỉnh: Open Development Vietnam (Cục Đo đạc, Bản đồ và Thông tin địa lý Việt Nam), "
        "CC BY-SA 4.0; đã đơn giản hóa.",
        "en": "Province boundaries: Open Development Vietnam / Department of Survey, Mapping and Geographic "
        "Information of Viet Nam, CC BY-SA 4.0; simplified.",
    },
    "2025": {
        "vi": "Ranh giới tỉnh: Open Development Vietnam (Cục Đo đạc, Bản đồ và Thông tin địa lý Việt Nam), "
        "CC BY-SA 4.0; đã đơn giản hóa và gộp theo Nghị quyết 202/2025/QH15.",
        "en": "Province boundaries: Open Development Vietnam / Department of Survey, Mapping and Geographic "
        "Information of Viet Nam, CC BY-SA 4.0; simplified and merged per Resolution 202/2025/QH15.",
    },
}


class BoundaryMismatchError(ValueError):
    """Data and layer belong to different boundary sets, or a code has no polygon."""


@dataclass(frozen=True)
class Shape:
    """One province of a layer.

    Attributes
    ----------
    code : GSO code of the layer's set ("49"); the join key.
    name : Vietnamese short name as in the layer ("Quảng Nam").
    parts : polygon parts outside the archipelagos, each a list of rings (n x 2 arrays of
        longitude, latitude; the exterior first, counter-clockwise, then holes).
    archipelago_parts : parts that belong to an archipelago (Đà Nẵng, Khánh Hòa only),
        by archipelago key ("hoang_sa", "truong_sa").
    """

    code: str
    name: str
    parts: tuple = field(repr=False)
    archipelago_parts: dict = field(default_factory=dict, repr=False)
    properties: dict = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class Archipelago:
    """An archipelago drawn as an inset.

    Attributes
    ----------
    key : "hoang_sa" or "truong_sa".
    name_vi, name_en : "Quần đảo Hoàng Sa", "Hoang Sa (Paracel) archipelago".
    parent_code : GSO code of the province it belongs to (the same in both sets:
        48 Đà Nẵng, 56 Khánh Hòa).
    parts : polygon parts (lists of rings, as :attr:`Shape.parts`).
    bounds : (west, south, east, north) in degrees.
    """

    key: str
    name_vi: str
    name_en: str
    parent_code: str
    parts: tuple = field(repr=False)
    bounds: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)


def _check_boundaries(boundaries: str) -> str:
    if boundaries not in BOUNDARY_FILES:
        raise ValueError(
            f"boundaries must be 'legacy' (63 provinces to 30 June 2025) or '2025' (34 units from 1 July 2025), got {boundaries!r}"
        )
    return boundaries


def boundary_file(boundaries: str = "legacy", *, archipelagos: bool = False):
    """Path of a bundled GeoJSON file (a ``Traversable``; ``str()`` gives the path).

    Parameters
    ----------
    boundaries : "legacy" (63 provinces) or "2025" (34 units).
    archipelagos : the archipelagos file instead.

    Examples
    --------
    >>> import geopandas as gpd                                     # doctest: +SKIP
    >>> gpd.read_file(boundary_file("2025"))                        # doctest: +SKIP
    """
    name = ARCHIPELAGO_FILE if archipelagos else BOUNDARY_FILES[_check_boundaries(boundaries)]
    return resources.files(__package__).joinpath("geodata", name)


def _read(name: str) -> dict:
    path = resources.files(__package__).joinpath("geodata", name)
    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise FileNotFoundError(
            f"bundled geometry {name} not found in {path}; reinstall cchc-analysis, or rebuild it with "
            "`python scripts/build_geo.py` (needs ../shared/reference-data/geo)"
        ) from None


def _parts(geometry: dict) -> list[list[list[list[float]]]]:
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"bundled geometry has a {kind!r}; only Polygon and MultiPolygon are expected")


def _signature(part: list) -> frozenset:
    """A part's identity: the set of its exterior vertices (order- and start-free)."""
    return frozenset(map(tuple, part[0]))


def _as_arrays(part: list) -> tuple:
    import numpy as np

    return tuple(np.asarray(ring, dtype=float) for ring in part)


@lru_cache(maxsize=None)
def _archipelago_features() -> tuple[tuple[dict, list], ...]:
    return _features(_read(ARCHIPELAGO_FILE))


def _features(data: dict) -> tuple[tuple[dict, list], ...]:
    return tuple((f["properties"], _parts(f["geometry"])) for f in data["features"])


_ARCHIPELAGO_KEYS = {"Quần đảo Hoàng Sa": "hoang_sa", "Quần đảo Trường Sa": "truong_sa"}


@lru_cache(maxsize=None)
def archipelagos() -> tuple[Archipelago, ...]:
    """The two archipelagos (Hoàng Sa first), for insets."""
    return _make_archipelagos(_archipelago_features())


def _make_archipelagos(features) -> tuple[Archipelago, ...]:
    import numpy as np

    out = []
    for props, parts in features:
        coords = np.concatenate([np.asarray(p[0], dtype=float) for p in parts])
        (w, s), (e, n) = coords.min(axis=0), coords.max(axis=0)
        out.append(
            Archipelago(
                key=_ARCHIPELAGO_KEYS[props["name_vi"]],
                name_vi=props["name_vi"],
                name_en=props["name_en"],
                parent_code=props["gso_code_2025"],
                parts=tuple(_as_arrays(p) for p in parts),
                bounds=(float(w), float(s), float(e), float(n)),
            )
        )
    return tuple(sorted(out, key=lambda a: a.key))


@lru_cache(maxsize=None)
def province_shapes(boundaries: str = "legacy") -> dict[str, Shape]:
    """The provinces of a layer by GSO code, in code order (read once per process).

    Parameters
    ----------
    boundaries : "legacy" (63 provinces) or "2025" (34 units).

    Returns
    -------
    dict
        code -> :class:`Shape`.  The archipelago parts of Đà Nẵng and Khánh Hòa are in
        ``Shape.archipelago_parts``, the rest in ``Shape.parts``.
    """
    _check_boundaries(boundaries)
    return _make_shapes(_read(BOUNDARY_FILES[boundaries]), _archipelago_features(), boundaries)


def _make_shapes(data: dict, arch_features, boundaries: str) -> dict[str, Shape]:
    parent_field = "legacy_gso_code" if boundaries == "legacy" else "gso_code_2025"
    arch = {}
    for props, parts in arch_features:
        key = _ARCHIPELAGO_KEYS[props["name_vi"]]
        for part in parts:
            arch[(props[parent_field], _signature(part))] = key
    shapes: dict[str, Shape] = {}
    for props, parts in _features(data):
        code = str(props["gso_code"])
        main, islands = [], {}
        for part in parts:
            key = arch.get((code, _signature(part)))
            if key is None:
                main.append(_as_arrays(part))
            else:
                islands.setdefault(key, []).append(_as_arrays(part))
        shapes[code] = Shape(
            code=code,
            name=props["name_vi"],
            parts=tuple(main),
            archipelago_parts={k: tuple(v) for k, v in islands.items()},
            properties=dict(props),
        )
    return dict(sorted(shapes.items()))


def attribution(boundaries: str = "legacy", lang: str = "vi") -> str:
    """The attribution line to print with a map (licence CC BY-SA 4.0 requires it)."""
    from . import labels as L

    return ATTRIBUTION[_check_boundaries(boundaries)][L.check_lang(lang)]


def join_codes(
    data: "pd.DataFrame",
    *,
    boundaries: str,
    code_col: str = "province_code",
    name_col: str | None = "province",
    func: str = "join_codes",
) -> "pd.DataFrame":
    """Check that ``data`` can be drawn on the ``boundaries`` layer and return it keyed by code.

    The join is on GSO codes only.  Names, when ``data`` has them, are used as a check:
    a row whose name belongs to another unit of this set, or only to the other set (a
    legacy name on the 2025 layer), is refused -- that is the sign of legacy data
    drawn on 2025 boundaries or the reverse.

    Parameters
    ----------
    data : rows of one year (one row per province).
    boundaries : "legacy" or "2025": the set ``data`` is coded in.
    code_col, name_col : columns with the GSO code and (optional) the name.

    Returns
    -------
    DataFrame
        ``data`` with ``code_col`` as two-digit strings and the rows in code order.

    Raises
    ------
    BoundaryMismatchError
        for a code the layer lacks (e.g. Hà Tây, 28, merged into Hà Nội in 2008), a
        name that contradicts its code, or two rows for one code.
    """
    import pandas as pd

    _check_boundaries(boundaries)
    from .provinces import UnknownProvinceError, resolve_province

    if code_col not in data.columns:
        raise ValueError(f"{func}: `data` lacks column {code_col!r} (the GSO province code)")
    frame = data.copy()
    codes = frame[code_col].map(_code)
    frame[code_col] = codes
    shapes = province_shapes(boundaries)
    other = "2025" if boundaries == "legacy" else "legacy"
    unknown = sorted({c for c in codes if c not in shapes})
    if unknown:
        hints = []
        for c in unknown[:5]:
            if c == "28" and boundaries == "legacy":
                hints.append("28 is Hà Tây, merged into Hà Nội on 1 August 2008: the legacy layer has the 63 provinces of "
                             "2008-2025; drop its rows to map the others (Hà Nội's polygon then includes former Hà Tây)")
            elif c in province_shapes(other):
                hints.append(f"{c} is a {other!r} code ({province_shapes(other)[c].name}); pass boundaries={other!r} if the data is coded that way")
            else:
                hints.append(f"{c} is not a GSO province code")
        raise BoundaryMismatchError(
            f"{func}: {len(unknown)} province code(s) in `data` have no polygon in the {boundaries!r} layer "
            f"({len(shapes)} units): {unknown[:10]}. " + "; ".join(hints) + "."
        )
    dup = codes[codes.duplicated()].unique().tolist()
    if dup:
        raise BoundaryMismatchError(
            f"{func}: several rows for province code(s) {dup[:10]}; a map needs one row per province "
            "(filter by index, year and component first)"
        )
    if name_col and name_col in frame.columns:
        for row, (code, name) in enumerate(zip(codes, frame[name_col])):
            if not isinstance(name, str) or not name.strip():
                continue
            try:
                unit = resolve_province(name, boundaries=boundaries)  # type: ignore[arg-type]
            except (UnknownProvinceError, ValueError) as exc:
                try:
                    resolve_province(name, boundaries=other)  # type: ignore[arg-type]
                except (UnknownProvinceError, ValueError):
                    continue  # a spelling the registry does not know: the code alone decides
                raise BoundaryMismatchError(
                    f"{func}: row {row} ({name_col}={name!r}, code {code}) is a {other!r} unit but the map uses the "
                    f"{boundaries!r} layer: {exc}. Legacy figures go on boundaries='legacy', 2025 figures on "
                    "boundaries='2025'; seven codes (15, 24, 44, 52, 80, 82, 91) name different provinces in the two sets."
                ) from None
            if unit.code != code:
                reused = f" Code {code} is one of the seven reused in 2025 ({REUSED_CODES[code][0]} before, {REUSED_CODES[code][1]} after)." if code in REUSED_CODES else ""
                raise BoundaryMismatchError(
                    f"{func}: row {row} has code {code} but {name_col}={name!r}, which is {unit.name} (code {unit.code}) in the "
                    f"{boundaries!r} set.{reused} Check that the data's boundaries ({boundaries!r}) match its codes."
                )
    return frame.sort_values(code_col, kind="stable").reset_index(drop=True)


def _code(value: Any) -> str:
    """A GSO code as two digits ("1", 1, 1.0 -> "01")."""
    if isinstance(value, float) and value == int(value):
        value = int(value)
    text = str(value).strip()
    return text.zfill(2) if text.isdigit() and len(text) < 2 else text


def check_layers(layers: dict[str, dict] | None = None, archipelago_data: dict | None = None) -> list[str]:
    """Problems between the layers and the province registry ([] when none).

    Checks: every registry code of each set has exactly one polygon and no other code
    has one; names agree with the registry; every archipelago part is found in its parent
    in both layers.  Used by ``scripts/build_geo.py`` (on the parsed GeoJSON it is about
    to write: ``layers`` maps "legacy"/"2025" to it) and the tests (the bundled files).
    """
    from .provinces import fold_name, list_provinces

    arch_features = _features(archipelago_data) if archipelago_data is not None else _archipelago_features()
    problems: list[str] = []
    for b in BOUNDARY_FILES:
        layer = _make_shapes(layers[b], arch_features, b) if layers is not None else province_shapes(b)
        registry = {p.code: p for p in list_provinces(boundaries=b)}  # type: ignore[arg-type]
        if set(layer) != set(registry):
            problems.append(f"{b}: codes only in the layer {sorted(set(layer) - set(registry))}, only in the registry {sorted(set(registry) - set(layer))}")
        for code, shape in layer.items():
            unit = registry.get(code)
            if unit is not None and fold_name(shape.name) != fold_name(unit.name):
                problems.append(f"{b}: code {code} is {shape.name!r} in the layer but {unit.name!r} in the registry")
            if not shape.parts:
                problems.append(f"{b}: code {code} has no polygon outside the archipelagos")
        for a in _make_archipelagos(arch_features):
            parent = layer.get(a.parent_code)
            found = len(parent.archipelago_parts.get(a.key, ())) if parent else 0
            if found != len(a.parts):
                problems.append(f"{b}: {found} of {len(a.parts)} parts of {a.name_vi} found in province {a.parent_code}")
    return problems
