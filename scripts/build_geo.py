"""Bundle the province polygons for maps: ../shared/reference-data/geo/odv -> cchc_analysis/geodata.

    python scripts/build_geo.py [--geo PATH] [--check]

Reads the three simplified Open Development Vietnam layers prepared in the shared folder
(63 legacy provinces, 34 units of 2025, the Hoàng Sa and Trường Sa archipelagos; see that
folder's README for how they were made from the source) and writes them into the package:

* the same features and coordinates (WGS84, 4 decimals), sorted by GSO code, written as
  compact RFC 7946 GeoJSON (the non-standard ``crs`` member dropped; ``license`` and
  ``attribution`` foreign members added);
* ``LICENSE.txt``: the licence (CC BY-SA 4.0), the source, every change made and the
  attribution line, with the sha256 of each input.

Before writing, the layers are checked against the province registry (every GSO code of
each set has one polygon, names agree, every archipelago part lies in its parent in both
layers) and the total size is checked against the 1 MB budget.  Output is byte-identical
on every run; each file is written to a temporary file and moved into place.  ``--check``
compares instead of writing (exit 1 when the bundled files differ from a fresh build).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cchc_analysis import config  # noqa: E402

OUT = ROOT / "cchc_analysis" / "geodata"
FILES = ("vn_provinces_63_legacy.geojson", "vn_provinces_34_2025.geojson", "vn_archipelagos.geojson")
BUDGET = 1_000_000  # bytes, all bundled files together
LICENCE_URL = "https://creativecommons.org/licenses/by-sa/4.0/"


def _sort_key(feature: dict) -> str:
    props = feature["properties"]
    return str(props.get("gso_code") or props.get("name_vi"))


def build_layer(path: Path, attribution: str) -> bytes:
    """The bundled form of one shared GeoJSON file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("type") != "FeatureCollection":
        raise SystemExit(f"{path}: not a GeoJSON FeatureCollection")
    crs = (data.get("crs") or {}).get("properties", {}).get("name", "urn:ogc:def:crs:OGC:1.3:CRS84")
    if crs != "urn:ogc:def:crs:OGC:1.3:CRS84":
        raise SystemExit(f"{path}: coordinates must be WGS84 longitude/latitude (CRS84), found {crs}")
    features = []
    for n, f in enumerate(sorted(data["features"], key=_sort_key)):
        kind = f["geometry"]["type"]
        if kind not in ("Polygon", "MultiPolygon"):
            raise SystemExit(f"{path}: feature {n} is a {kind}; only Polygon and MultiPolygon are expected")
        features.append({"type": "Feature", "properties": f["properties"], "geometry": f["geometry"]})
    out = {
        "type": "FeatureCollection",
        "license": f"CC BY-SA 4.0 ({LICENCE_URL}); see LICENSE.txt beside this file",
        "attribution": attribution,
        "features": features,
    }
    return (json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def licence_text(geo: Path, hashes: dict[str, str]) -> bytes:
    """LICENSE.txt for the bundled folder: the shared licence file, adapted to this folder."""
    shared = (geo / "odv" / "LICENSE.txt").read_text(encoding="utf-8")
    # the shared file starts with a "Files covered" paragraph about its own folder: replace it
    body = shared.split("\n\n", 1)[1] if shared.startswith("Files covered") else shared
    body = body.replace("  2. scripts/build_geo.py", "  2. shared/reference-data/geo/scripts/build_geo.py")
    lines = [
        "Files covered: " + ", ".join(FILES) + " (this folder).",
        "",
        "These files are adapted material licensed CC BY-SA 4.0 (share-alike), separately from the MIT",
        "licence of the cchc-analysis code. Maps drawn from them print the attribution line below.",
        "",
        body.rstrip("\n"),
        "",
        "Further change (cchc-analysis, scripts/build_geo.py)",
        "  3. Copied from shared/reference-data/geo/odv without changing any geometry or property: features",
        "     sorted by GSO code, written as compact GeoJSON (RFC 7946; the crs member dropped, WGS84 implied),",
        "     with `license` and `attribution` members added. Inputs (sha256):",
    ]
    lines += [f"       {name}  {digest}" for name, digest in hashes.items()]
    lines += [
        "  Maps of the 63-province layer print the same line without the merger clause:",
        "    Ranh giới tỉnh: Open Development Vietnam (Cục Đo đạc, Bản đồ và Thông tin địa lý Việt Nam), CC BY-SA 4.0;",
        "    đã đơn giản hóa. (English: ...; simplified.)",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _write(path: Path, payload: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--geo", type=Path, default=config.REFERENCE_DIR / "geo",
                        help="the shared geo folder (default: ../shared/reference-data/geo)")
    parser.add_argument("--check", action="store_true", help="compare with the bundled files instead of writing")
    args = parser.parse_args(argv)
    geo: Path = args.geo
    if not (geo / "odv").is_dir():
        parser.error(f"{geo / 'odv'} not found: pass --geo with the shared reference-data/geo folder")

    from cchc_analysis.geo import ATTRIBUTION

    outputs: dict[str, bytes] = {}
    hashes: dict[str, str] = {}
    for name in FILES:
        src = geo / "odv" / name
        hashes[name] = hashlib.sha256(src.read_bytes()).hexdigest()
        attribution = ATTRIBUTION["2025" if "34" in name else "legacy"]["vi"]
        outputs[name] = build_layer(src, attribution)
    # check against the registry before anything is written
    from cchc_analysis.geo import check_layers

    parsed = {name: json.loads(payload) for name, payload in outputs.items()}
    problems = check_layers({"legacy": parsed[FILES[0]], "2025": parsed[FILES[1]]}, parsed[FILES[2]])
    if problems:
        raise SystemExit("the layers disagree with the province registry:\n  " + "\n  ".join(problems))
    outputs["LICENSE.txt"] = licence_text(geo, hashes)
    total = sum(len(b) for b in outputs.values())
    if total > BUDGET:
        raise SystemExit(f"bundled geometry would be {total:,} bytes, over the {BUDGET:,}-byte budget")

    if args.check:
        stale = [n for n, b in outputs.items() if not (OUT / n).exists() or (OUT / n).read_bytes() != b]
        print("up to date" if not stale else f"differ from a fresh build: {stale}")
        return 1 if stale else 0

    OUT.mkdir(parents=True, exist_ok=True)
    for name, payload in outputs.items():
        _write(OUT / name, payload)
    for name, payload in outputs.items():
        print(f"{name:34s} {len(payload):>9,} bytes")
    print(f"{'total':34s} {total:>9,} bytes (budget {BUDGET:,})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
