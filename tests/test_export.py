"""save_figure: brief sizes, text kept as text, byte-identical saves, atomic writes."""

import hashlib
import os
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from PIL import Image

from cchc_analysis import export, style as S
from cchc_analysis.export import save_figure

NAME = "Thừa Thiên Huế"


def synthetic_figure(caption="Nguồn: VCCI, PCI 2023 (dữ liệu tổng hợp)"):
    """A small chart with Vietnamese text, a legend, a caption and an alt text."""
    fig, ax = plt.subplots(figsize=S.figure_size("single"), layout="constrained")
    years = np.arange(2015, 2021)
    ax.plot(years, [58.1, 59.0, 60.2, 61.0, 60.4, 62.3], color=S.HIGHLIGHT, marker="o", label=NAME)
    ax.plot(years, [57.0, 57.5, 58.0, 58.2, 58.9, 59.1], color=S.MEDIAN, linestyle="--", label="Trung vị cả nước")
    ax.set_title(f"{NAME}: PCI", loc="left")
    ax.set_xlabel("Năm")
    ax.set_ylabel("Điểm")
    ax.legend(loc="lower right")
    S.add_caption(ax, caption)
    S.set_alt_text(ax, f"Biểu đồ đường: PCI của {NAME}, 2015–2020.")
    return fig, ax


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture(autouse=True)
def _house_style():
    with S.use_style():
        yield


def test_writes_every_format_at_brief_size(tmp_path):
    fig, _ax = synthetic_figure()
    paths = save_figure(fig, "trend", out_dir=tmp_path)
    assert set(paths) == {"png", "svg", "pdf", "txt"}
    assert all(p.parent == tmp_path and p.stem == "trend" for p in paths.values())
    with Image.open(paths["png"]) as im:
        width, height = im.size
        dpi = im.info["dpi"]
    assert abs(width - 8.5 / 2.54 * 300) < 1.5 and abs(height - 8.5 * 0.75 / 2.54 * 300) < 1.5
    assert dpi == pytest.approx((300, 300), abs=0.01), "dpi recorded, so Word places the PNG at 8.5 cm"
    root = ET.parse(paths["svg"]).getroot()
    assert float(root.get("width").removesuffix("pt")) == pytest.approx(8.5 / 2.54 * 72, abs=0.01)


def test_widths_heights_and_aspect(tmp_path):
    fig, _ax = synthetic_figure()
    double = save_figure(fig, "double", out_dir=tmp_path, formats=("png",), width="double")
    custom = save_figure(fig, "custom", out_dir=tmp_path, formats=("png",), width=12.0, height=6.0)
    with Image.open(double["png"]) as a, Image.open(custom["png"]) as b:
        assert abs(a.size[0] - 17 / 2.54 * 300) < 1.5 and abs(a.size[1] - 17 * 0.75 / 2.54 * 300) < 1.5
        assert abs(b.size[0] - 12 / 2.54 * 300) < 1.5 and abs(b.size[1] - 6 / 2.54 * 300) < 1.5


def test_figure_size_and_layout_are_restored(tmp_path):
    fig, _ax = synthetic_figure()
    fig.set_size_inches(6, 4)
    engine = fig.get_layout_engine()
    save_figure(fig, "restored", out_dir=tmp_path, formats=("png",), width="double")
    assert tuple(fig.get_size_inches()) == (6, 4)
    assert fig.get_layout_engine() is engine


def test_text_stays_text_in_svg_and_pdf(tmp_path):
    from pypdf import PdfReader

    fig, _ax = synthetic_figure()
    paths = save_figure(fig, "text", out_dir=tmp_path, formats=("svg", "pdf"))
    svg = paths["svg"].read_text(encoding="utf-8")
    texts = [t for t in ET.fromstring(svg).iter() if t.tag.endswith("text")]
    assert any(NAME in "".join(t.itertext()) for t in texts), "SVG <text> holds the Vietnamese name"
    assert "DejaVuSans-" not in svg, "no glyph outlines: svg.fonttype='none'"
    raw = paths["pdf"].read_bytes()
    assert b"/FontFile2" in raw, "TrueType (Type 42) font embedded"
    assert b"/Subtype /Type3" not in raw
    text = PdfReader(paths["pdf"]).pages[0].extract_text()
    assert NAME in text and "Nguồn: VCCI, PCI 2023" in text


def test_saving_twice_gives_identical_bytes(tmp_path):
    fig, _ax = synthetic_figure()
    data = pd.DataFrame({"year": [2015, 2016], "value": [58.1, 59.0], "province": [NAME, NAME]})
    first = save_figure(fig, "same", out_dir=tmp_path / "a", data=data)
    second = save_figure(fig, "same", out_dir=tmp_path / "b", data=data)
    assert set(first) == {"png", "svg", "pdf", "csv", "txt"}
    for fmt in first:
        assert digest(first[fmt]) == digest(second[fmt]), fmt
    again = save_figure(fig, "same", out_dir=tmp_path / "a", data=data)  # overwrite in place
    assert all(digest(again[f]) == digest(first[f]) for f in ("png", "svg", "pdf"))


def test_no_dates_or_versions_in_the_files(tmp_path):
    import matplotlib

    fig, _ax = synthetic_figure()
    paths = save_figure(fig, "meta", out_dir=tmp_path)
    for fmt in ("png", "svg", "pdf"):
        raw = paths[fmt].read_bytes()
        assert matplotlib.__version__.encode() not in raw, fmt
        assert b"CreationDate" not in raw and b"<dc:date>" not in raw, fmt


_SUBPROCESS = textwrap.dedent(
    """
    import hashlib, sys
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from cchc_analysis import style as S
    from cchc_analysis.export import save_figure
    matplotlib.rcParams.update(S.EXPORT_RC)
    fig, ax = plt.subplots(layout="constrained")
    ax.plot([2015, 2016, 2017], [58.1, 59.0, 60.2], marker="o", label="Thừa Thiên Huế")
    ax.set_title("Thừa Thiên Huế: PCI", loc="left")
    ax.legend(loc="lower right")
    S.add_caption(ax, "Nguồn: VCCI, PCI 2023")
    paths = save_figure(fig, "x", out_dir=sys.argv[1])
    for fmt in ("png", "svg", "pdf"):
        print(fmt, hashlib.sha256(open(paths[fmt], "rb").read()).hexdigest())
    """
)


def test_identical_bytes_across_processes_and_hash_seeds(tmp_path):
    """Two fresh interpreters, different hash seeds and SOURCE_DATE_EPOCH: same bytes."""
    script = tmp_path / "render.py"
    script.write_text(_SUBPROCESS, encoding="utf-8")
    runs = []
    for seed, epoch in (("1", "0"), ("987", "1700000000")):
        env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": epoch, "MPLBACKEND": "Agg"}
        runs.append(subprocess.Popen([sys.executable, str(script), str(tmp_path / seed)], env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    outputs = []
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        outputs.append(out)
    assert outputs[0] == outputs[1] and outputs[0].count("\n") == 3


def test_data_and_caption_files(tmp_path):
    fig, ax = synthetic_figure()
    data = pd.DataFrame({"province": [NAME, "Đắk Lắk"], "value": [62.3, 58.0]})
    paths = save_figure(ax, "sidecar", out_dir=tmp_path, formats=("png",), data=data)
    raw = paths["csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM: Excel shows Vietnamese correctly"
    pd.testing.assert_frame_equal(pd.read_csv(paths["csv"], encoding="utf-8-sig"), data)
    txt = paths["txt"].read_text(encoding="utf-8")
    assert txt == f"caption: Nguồn: VCCI, PCI 2023 (dữ liệu tổng hợp)\nalt_text: Biểu đồ đường: PCI của {NAME}, 2015–2020.\n"
    explicit = save_figure(fig, "explicit", out_dir=tmp_path, formats=("png",), caption="Source: VCCI, PCI 2023", alt_text="Line chart.",
                           data=data["value"])
    assert explicit["txt"].read_text(encoding="utf-8") == "caption: Source: VCCI, PCI 2023\nalt_text: Line chart.\n"
    assert explicit["csv"].read_text(encoding="utf-8-sig").splitlines() == ["value", "62.3", "58.0"]
    multi = save_figure(fig, "multi", out_dir=tmp_path, formats=("png",), caption="Nguồn: VCCI, PCI 2023\nÔ xám: không có số liệu")
    assert multi["txt"].read_text(encoding="utf-8").startswith("caption: Nguồn: VCCI, PCI 2023\n  Ô xám: không có số liệu\nalt_text: ")


def test_accepts_axes_and_arrays_of_axes(tmp_path):
    fig, axes = plt.subplots(2, 1, layout="constrained")
    paths = save_figure(np.asarray(axes), "panels", out_dir=tmp_path, formats=("svg",))
    root = ET.parse(paths["svg"]).getroot()
    assert root.tag.endswith("svg") and len(root.findall(".//{http://www.w3.org/2000/svg}g")) >= 2, "one SVG with both panels"
    with pytest.raises(TypeError, match="must be a matplotlib Figure or Axes"):
        save_figure("figure", "x", out_dir=tmp_path)


def test_default_folder_is_figures_in_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # never the installed package (issue 14)
    fig, _ax = synthetic_figure()
    paths = save_figure(fig, "default", formats=("png",))
    assert paths["png"] == tmp_path / "figures" / "default.png"


@pytest.mark.parametrize("name", ["", "a/b", "../x", ".hidden", "trend.png"])
def test_bad_names_are_refused(tmp_path, name):
    fig, _ax = synthetic_figure()
    with pytest.raises(ValueError, match="save_figure: `name`"):
        save_figure(fig, name, out_dir=tmp_path)


def test_bad_formats_and_sizes_are_refused(tmp_path):
    fig, _ax = synthetic_figure()
    with pytest.raises(ValueError, match=r"formats must be chosen from \['png', 'svg', 'pdf'\], got \['jpg'\]"):
        save_figure(fig, "x", out_dir=tmp_path, formats=("jpg",))
    with pytest.raises(ValueError, match="width must be 'single', 'double'"):
        save_figure(fig, "x", out_dir=tmp_path, width="wide")
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_save_leaves_no_half_file(tmp_path, monkeypatch):
    fig, _ax = synthetic_figure()
    good = save_figure(fig, "atomic", out_dir=tmp_path, formats=("png",))
    before = digest(good["png"])

    def broken_savefig(fh, **kwargs):
        fh.write(b"\x89PNG half a file")
        raise KeyboardInterrupt("power cut")

    monkeypatch.setattr(fig, "savefig", broken_savefig)
    with pytest.raises(KeyboardInterrupt):
        save_figure(fig, "atomic", out_dir=tmp_path, formats=("png",))
    with pytest.raises(KeyboardInterrupt):
        save_figure(fig, "fresh", out_dir=tmp_path, formats=("png",))
    assert digest(good["png"]) == before, "the previous file is untouched"
    assert not (tmp_path / "fresh.png").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atomic.png", "atomic.txt"], "no temporary files left"
    assert tuple(fig.get_size_inches()) == pytest.approx(S.figure_size("single"))


def test_atomic_write_replaces_in_one_step(tmp_path):
    target = tmp_path / "f.txt"
    target.write_text("old")
    export._atomic_write(target, lambda fh: fh.write(b"new"))
    assert target.read_text() == "new" and len(list(tmp_path.iterdir())) == 1
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
