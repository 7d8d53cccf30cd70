"""Issue 10 items 7 and 8: `cchc extract` on plan tables, nested Word tables, a second article
after a web page's footer, repeated --force, long runs without sentence breaks, AES PDFs.

Texts, tables and files are built here by code; every sentence was written for these tests.
"""

from __future__ import annotations

import pandas as pd
import pytest

from cchc_analysis.cli.extract import MAX_BACKUPS, PlanReadError, main, read_plan_text
from cchc_analysis.extract import find_targets
from cchc_analysis.extract.rules import _find

TABLE = (
    "KẾ HOẠCH NÂNG CAO CÁC CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2025\n"
    "| STT | Chỉ tiêu | Năm 2024 | Năm 2025 |\n"
    "| 1 | Chỉ số PAR INDEX | Top 20 | Top 15 |\n"
    "| 2 | Chỉ số SIPAS | Trên 85% | Trên 87% |\n"
    "| 3 | Tỷ lệ hồ sơ giải quyết đúng hạn | 98% | 99% |\n"
)


def read_csv(path):
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


# ----------------------------------------------------------------------------- plan tables


def test_a_rank_in_the_par_row_stays_par():
    found = find_targets(TABLE)
    ranks = [(r["metric_index"], r["value"], r["deadline"], r["kind"]) for r in found if r["unit"] == "rank"]
    assert ranks == [("par", 20.0, 2024, "baseline"), ("par", 15.0, 2025, "target")]
    assert not [r for r in found if r["metric_index"] == "sipas" and r["unit"] == "rank"]


def test_the_year_column_is_the_deadline():
    found = find_targets(TABLE, plan_year="2024-2025")
    by_value = {r["value"]: r for r in found}
    assert (by_value[87.0]["deadline"], by_value[87.0]["metric_index"], by_value[87.0]["comparator"]) == (2025, "sipas", ">")
    assert (by_value[99.0]["deadline"], by_value[99.0]["kind"], by_value[99.0]["domain"]) == (2025, "target", "procedures")
    assert "table column" in by_value[99.0]["mapping_note"]


def test_table_with_a_results_column_and_a_unit_column():
    text = (
        "KẾ HOẠCH NĂM 2024\n"
        "| Chỉ tiêu | Đơn vị | Kết quả 2023 | Kế hoạch 2024 | Năm 2025 |\n"
        "| Chỉ số PCI | điểm | 65,2 | 66 | 67 |\n"
        "| Chỉ số PAPI | hạng | 45 | 40 | 35 |\n"
    )
    found = find_targets(text)
    got = [(r["kind"], r["metric_index"], r["unit"], r["value"], r["deadline"]) for r in found]
    assert got == [
        ("baseline", "pci", "score", 65.2, 2023),
        ("target", "pci", "score", 66.0, 2024),
        ("target", "pci", "score", 67.0, 2025),
        ("baseline", "papi", "rank", 45.0, 2023),
        ("target", "papi", "rank", 40.0, 2024),
        ("target", "papi", "rank", 35.0, 2025),
    ]


def test_nested_docx_tables_are_read(tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2025")
    outer = d.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "Phụ lục chỉ tiêu"
    inner = outer.cell(0, 1).add_table(rows=2, cols=2)
    inner.cell(0, 0).text = "Chỉ tiêu"
    inner.cell(0, 1).text = "Năm 2025"
    inner.cell(1, 0).text = "Tỷ lệ văn bản được ký số"
    inner.cell(1, 1).text = "95%"
    deeper = inner.cell(1, 0).add_table(rows=1, cols=2)
    deeper.cell(0, 0).text = "Tỷ lệ hồ sơ trực tuyến toàn trình"
    deeper.cell(0, 1).text = "80%"
    path = tmp_path / "nested.docx"
    d.save(path)
    text = read_plan_text(path)
    assert "Tỷ lệ văn bản được ký số | 95%" in text and "Tỷ lệ hồ sơ trực tuyến toàn trình | 80%" in text
    out = tmp_path / "out.csv"
    assert main([str(path), "--out", str(out)]) == 0
    assert sorted(read_csv(out)["value"].astype(float)) == [80.0, 95.0]


# ----------------------------------------------------------------------------- web pages


def test_a_second_article_after_the_footer_is_read():
    prose = "Sở Nội vụ cho biết các cơ quan đã tập trung triển khai nhiều giải pháp trong năm qua và sẽ tiếp tục theo dõi. "
    text = (
        "Tỉnh ban hành kế hoạch cải cách hành chính năm 2025\n"
        + prose * 3 + "Phấn đấu 92% hồ sơ được giải quyết trực tuyến toàn trình.\n"
        "Tin liên quan\nHội nghị giao ban tháng 5\nTập huấn kỹ năng số\n"
        "Bình luận\n"
        "Tỉnh đặt mục tiêu về chuyển đổi số năm 2025\n"
        + prose * 3 + "Mục tiêu năm 2025 có 85% văn bản được ký số trên môi trường điện tử.\n"
        "Thống kê truy cập\nĐang truy cập: 120\n"
    )
    assert sorted(r["value"] for r in find_targets(text, plan_year=2025)) == [85.0, 92.0]


# ----------------------------------------------------------------------------- backups


def test_force_twice_keeps_numbered_backups(tmp_path, capsys):
    plan = tmp_path / "plan.txt"
    plan.write_text("Phấn đấu tỷ lệ hồ sơ đúng hạn đạt trên 98% năm 2025.\n", encoding="utf-8")
    out = tmp_path / "draft.csv"
    out.write_text("review 1\n", encoding="utf-8")
    assert main([str(plan), "--out", str(out), "--force"]) == 0
    first = out.read_bytes()
    assert main([str(plan), "--out", str(out), "--force"]) == 0
    assert main([str(plan), "--out", str(out), "--force"]) == 0
    assert (tmp_path / "draft.csv.bak").read_text(encoding="utf-8") == "review 1\n"
    assert (tmp_path / "draft.csv.1.bak").read_bytes() == first
    assert (tmp_path / "draft.csv.2.bak").read_bytes() == first
    assert "previous file kept as" in capsys.readouterr().err and "draft.csv.2.bak" in str(list(tmp_path.iterdir()))


def test_force_refuses_when_every_backup_name_is_taken(tmp_path, capsys):
    plan = tmp_path / "plan.txt"
    plan.write_text("Phấn đấu tỷ lệ hồ sơ đúng hạn đạt trên 98% năm 2025.\n", encoding="utf-8")
    out = tmp_path / "draft.csv"
    out.write_text("current\n", encoding="utf-8")
    (tmp_path / "draft.csv.bak").write_text("0", encoding="utf-8")
    for k in range(1, MAX_BACKUPS + 1):
        (tmp_path / f"draft.csv.{k}.bak").write_text(str(k), encoding="utf-8")
    assert main([str(plan), "--out", str(out), "--force"]) == 2
    assert "all exist; move or delete old backups" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "current\n"
    assert (tmp_path / f"draft.csv.{MAX_BACKUPS}.bak").read_text(encoding="utf-8") == str(MAX_BACKUPS)


# ----------------------------------------------------------------------------- long runs


def _long_run(n: int) -> str:
    phrases = (
        "tỷ lệ hồ sơ giải quyết đúng hạn đạt {a},{b}%, ",
        "chỉ số PAR INDEX thuộc nhóm {c} tỉnh dẫn đầu, xếp {c}/63, {d}/14 tỉnh vùng Tây Nguyên, ",
        "tỷ lệ thanh toán trực tuyến (năm 2022 đạt {a}%) đạt {c}%, ",
        "| Tỷ lệ số hóa | {a}% ",
    )
    return "".join(phrases[i % 4].format(a=i % 97 + 1, b=i % 10, c=i % 60 + 1, d=i % 13 + 1) for i in range(n))


def test_a_long_run_without_sentence_breaks_costs_linear_work():
    # The work counter adds up what every figure looks at (its own words, the words after
    # it, its evidence, the index names, years and domain words it checks).  Quadratic
    # work would make it grow with the square of the text; here four times the text
    # must cost about four times the work, and a bounded amount per character.
    small, large = _long_run(1000), _long_run(4000)
    _, doc_s = _find(small, plan_year=2024)
    _, doc_l = _find(large, plan_year=2024)
    assert doc_l.work / doc_s.work < 4 * 1.2
    assert doc_l.work / len(large) < 10


# ----------------------------------------------------------------------------- AES PDFs


def _pdf_with_text(text: str) -> bytes:
    from test_cli_extract import minimal_pdf

    return minimal_pdf(text)


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256"])
def test_aes_encrypted_pdf_without_a_password_is_read(tmp_path, algorithm):
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("cryptography")
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(_pdf_with_text("Ty le ho so dung han dat 96%."))
    writer = pypdf.PdfWriter(clone_from=str(plain))
    writer.encrypt(user_password="", owner_password="chu-so-huu", algorithm=algorithm)
    path = tmp_path / "aes.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    assert pypdf.PdfReader(str(path)).is_encrypted
    assert "96%" in read_plan_text(path)
    out = tmp_path / "out.csv"
    assert main([str(path), "--out", str(out), "--year", "2025"]) == 0
    assert read_csv(out)["value"].tolist() == ["96.0"]


def test_aes_pdf_without_cryptography_gives_a_clear_message(tmp_path, monkeypatch):
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("cryptography")
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(_pdf_with_text("Ty le ho so dung han dat 96%."))
    writer = pypdf.PdfWriter(clone_from=str(plain))
    writer.encrypt(user_password="", owner_password="x", algorithm="AES-256")
    path = tmp_path / "aes.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    # as on a machine without the package: pypdf raises its DependencyError
    from pypdf.errors import DependencyError

    def no_crypto(*args, **kwargs):
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(pypdf.PdfReader, "decrypt", no_crypto)
    with pytest.raises(PlanReadError, match=r"aes\.pdf: the PDF is encrypted with AES .* pip install 'cryptography>=42'"):
        read_plan_text(path)


def test_password_protected_pdf_is_refused_clearly(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("cryptography")
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(_pdf_with_text("Ty le ho so dung han dat 96%."))
    writer = pypdf.PdfWriter(clone_from=str(plain))
    writer.encrypt(user_password="mat-khau", owner_password="x", algorithm="AES-256")
    path = tmp_path / "locked.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    with pytest.raises(PlanReadError, match="password-protected"):
        read_plan_text(path)


# ----------------------------------------------------------------------------- odd mixtures


@pytest.mark.parametrize(
    "text",
    [
        "Chỉ số này và Chỉ số SIPAS thuộc top 20 cả nước.",
        "Chỉ số PAR INDEX thuộc nhóm 20 tỉnh dẫn đầu, thời gian giải quyết rút ngắn còn 5 ngày.",
        ") PAR INDEX Bộ Tư pháp top 20 0 1,5 vùng phấn đấu | Năm 2025 | top lần lượt : nhóm tỉnh chỉ số này SIPAS 20 , tỉnh 100",
        "| Năm 2024 | Năm 2025 |\n| | |\n|||\n| 5 | 7 |",
        "xếp thứ 18/63 , các năm 2020, 2021 lần lượt xếp thứ 1, 2, 3, 4, 5",
    ],
)
def test_odd_mixtures_do_not_crash(text):
    for r in find_targets(text, plan_year=2025):
        assert r["unit"] in ("%", "rank", "places", "score", "count", "days", "hours", "months")
        assert r["metric_index"] in ("", "par", "sipas", "papi", "pci", "dti")
