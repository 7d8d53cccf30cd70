"""Tests for the ``cchc extract`` command (cchc_analysis.cli.extract)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

import pandas as pd
import pytest

from cchc_analysis.cli.extract import PlanReadError, main, read_plan_text, register, run
from cchc_analysis.extract import EXTRACT_COLUMNS

PLAN = (
    "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2025\n"
    "- Phấn đấu tỷ lệ hồ sơ giải quyết đúng hạn đạt trên 98%.\n"
    "- Chỉ số PAPI (năm 2023 xếp 38) thuộc nhóm 25 tỉnh, thành phố dẫn đầu.\n"
)


def write_plan(tmp_path, name="plan.txt", text=PLAN):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def read_out(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV for review must carry a UTF-8 BOM (Excel)"
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF showing ``text`` (ASCII) in Helvetica, with a correct xref table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_txt_to_csv(tmp_path, capsys):
    out = tmp_path / "draft.csv"
    assert main([str(write_plan(tmp_path)), "--out", str(out), "--province", "Lào Cai"]) == 0
    df = read_out(out)
    assert list(df.columns) == list(EXTRACT_COLUMNS) + ["evidence_text", "review"]
    assert df["kind"].tolist() == ["target", "baseline", "target"]
    assert df["value"].tolist() == ["98.0", "38.0", "25.0"]
    assert set(df["province"]) == {"Lào Cai"} and set(df["source_file"]) == {"plan.txt"}
    assert df["target_id"].tolist() == ["plan-01", "plan-02", "plan-03"]
    assert "98%" in df.loc[0, "evidence_text"] and df["review"].eq("").all()
    assert "3 rows (2 targets, 1 baselines)" in capsys.readouterr().err
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_stdout_when_no_out(tmp_path, capsys):
    assert main([str(write_plan(tmp_path)), "--year", "2025"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("target_id,") and "plan-03" in captured.out


def test_docx_built_in_code(tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2025")
    d.add_paragraph("Phấn đấu 100% văn bản đi, đến được ký số và xử lý trên môi trường mạng.")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Chỉ tiêu"
    table.cell(0, 1).text = "Năm 2025"
    table.cell(1, 0).text = "Tỷ lệ hồ sơ trực tuyến toàn trình"
    table.cell(1, 1).text = "75%"
    path = tmp_path / "ke-hoach.docx"
    d.save(path)
    text = read_plan_text(path)
    assert "Tỷ lệ hồ sơ trực tuyến toàn trình | 75%" in text
    out = tmp_path / "out.csv"
    assert main([str(path), "--out", str(out)]) == 0
    df = read_out(out)
    assert df["value"].tolist() == ["100.0", "75.0"] and set(df["plan_period"]) == {"2025"}
    assert df["domain"].tolist() == ["digital_government", "digital_government"]


def test_pdf_text_layer(tmp_path):
    pytest.importorskip("pypdf")
    path = tmp_path / "plan.pdf"
    path.write_bytes(minimal_pdf("Ty le ho so dung han dat 97%."))
    assert "97%" in read_plan_text(path)
    out = tmp_path / "out.csv"
    assert main([str(path), "--out", str(out), "--year", "2025"]) == 0
    df = read_out(out)
    assert df["value"].tolist() == ["97.0"] and df["unit"].tolist() == ["%"]


def test_pdf_without_text_says_ocr(tmp_path, capsys):
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "scan.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    with pytest.raises(PlanReadError, match=r"scan\.pdf: the file contains no text \(a scanned PDF"):
        read_plan_text(path)
    assert main([str(path)]) == 2
    assert "scan.pdf" in capsys.readouterr().err


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "empty.txt: the file contains no text"),
        ("blank.txt", b"  \n\n ", "blank.txt: the file contains no text"),
        ("latin.txt", "Kế hoạch".encode("cp1258", errors="replace") + b"\xff\xfe\x00", "latin.txt: not UTF-8 text"),
        ("old.doc", b"binary", "old.doc: old Word .doc files are not supported"),
        ("plan.odt", b"x", "unsupported file type '.odt'"),
        ("broken.docx", b"not a zip", "broken.docx: not a readable .docx"),
        ("broken.pdf", b"%PDF-1.4 garbage", "broken.pdf"),
    ],
)
def test_unreadable_files_are_named(tmp_path, capsys, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    out = tmp_path / "out.csv"
    assert main([str(path), "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_missing_file(tmp_path, capsys):
    assert main([str(tmp_path / "nope.txt")]) == 2
    assert "nope.txt: no such file" in capsys.readouterr().err


def test_existing_csv_needs_force_and_is_backed_up(tmp_path, capsys):
    plan = write_plan(tmp_path)
    out = tmp_path / "draft.csv"
    out.write_text("reviewed by hand\n", encoding="utf-8")
    assert main([str(plan), "--out", str(out)]) == 2
    assert "already exists; pass --force" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "reviewed by hand\n"
    assert main([str(plan), "--out", str(out), "--force"]) == 0
    assert (tmp_path / "draft.csv.bak").read_text(encoding="utf-8") == "reviewed by hand\n"
    assert len(read_out(out)) == 3
    assert "previous file kept as" in capsys.readouterr().err


def test_bad_options(tmp_path, capsys):
    plan = write_plan(tmp_path)
    assert main([str(plan), "--province", "Atlantis"]) == 2
    assert "--province: Unknown province 'Atlantis'" in capsys.readouterr().err
    assert main([str(plan), "--year", "soon"]) == 2
    assert "--year: plan_year must be a year" in capsys.readouterr().err
    assert main([str(plan), "--out", str(plan), "--force"]) == 2
    assert "is one of the input files" in capsys.readouterr().err


def test_several_plans_in_one_csv(tmp_path):
    a = write_plan(tmp_path, "a.txt")
    b = write_plan(tmp_path, "b.txt", "Kế hoạch CCHC năm 2025: tối thiểu 60% giao dịch thanh toán trực tuyến.\n")
    out = tmp_path / "all.csv"
    assert main([str(a), str(b), "--out", str(out)]) == 0
    df = read_out(out)
    assert df["source_file"].tolist() == ["a.txt"] * 3 + ["b.txt"]


def test_no_targets_still_writes_a_header(tmp_path, capsys):
    path = write_plan(tmp_path, "none.txt", "Tin hoạt động trong tuần của Sở Nội vụ.\n")
    out = tmp_path / "none.csv"
    assert main([str(path), "--out", str(out)]) == 0
    assert read_out(out).empty and "no quantitative targets found" in capsys.readouterr().err


def test_register_adds_the_subcommand(tmp_path):
    parser = argparse.ArgumentParser(prog="cchc")
    sub = parser.add_subparsers(dest="command")
    register(sub)
    out = tmp_path / "x.csv"
    args = parser.parse_args(["extract", str(write_plan(tmp_path)), "--out", str(out), "--year", "2025"])
    assert args.func is run and args.func(args) == 0 and out.exists()


def test_module_entry_point(tmp_path):
    out = tmp_path / "m.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "cchc_analysis.cli.extract", str(write_plan(tmp_path)), "--out", str(out)],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert len(read_out(out)) == 3

