from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from camwarden.documents import pdf
from camwarden.documents.pdf import OfficialDocument, vietnamese_date
from camwarden.errors import Conflict

WHEN = datetime(2026, 11, 26, 9, 30)


def make_record(paragraphs: int = 1, subtitle: str = "") -> OfficialDocument:
    document = OfficialDocument(
        school_name="Trường Tiểu học Nguyễn Du",
        title="Biên bản sự việc",
        subtitle=subtitle,
        number="SV-2026-0003",
        place_and_date=vietnamese_date(WHEN, "Hà Nội"),
        created_at=WHEN,
    )
    document.heading("I. Diễn biến sự việc")
    document.field("Địa điểm", "Phía sau nhà C")
    for _ in range(paragraphs):
        document.paragraph("Bảo vệ phát hiện ống kính camera bị che khuất bằng áo khoác.")
    document.table(["Camera", "Từ", "Đến"], [["Phía sau nhà C", "08:14", "08:20"]])
    document.signatures([("Người lập biên bản", "Nguyễn Văn Bảo"), ("Đại diện BGH", "")])
    return document


def page_texts(data: bytes) -> list[str]:
    document = pdfium.PdfDocument(data)
    return [document[i].get_textpage().get_text_range() for i in range(len(document))]


def test_vietnamese_text_comes_out_of_the_pdf_with_its_diacritics() -> None:
    text = page_texts(make_record().to_bytes())[0]
    for words in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "TRƯỜNG TIỂU HỌC NGUYỄN DU",
        "Số: SV-2026-0003",
        "Hà Nội, ngày 26 tháng 11 năm 2026",
        "BIÊN BẢN SỰ VIỆC",
        "Địa điểm: Phía sau nhà C",
        "ống kính camera bị che khuất",
        "(Ký, ghi rõ họ tên)",
        "Nguyễn Văn Bảo",
    ):
        assert words in text


def test_the_same_record_printed_twice_gives_the_same_bytes() -> None:
    assert make_record().to_bytes() == make_record().to_bytes()


def test_a_long_record_numbers_its_pages_and_keeps_the_signatures_on_one_page() -> None:
    texts = page_texts(make_record(paragraphs=60).to_bytes())
    assert len(texts) >= 2
    assert f"Trang 1/{len(texts)}" in texts[0]
    assert f"Trang {len(texts)}/{len(texts)}" in texts[-1]
    signing_pages = [i for i, text in enumerate(texts) if "Ký, ghi rõ họ tên" in text]
    assert len(signing_pages) == 1
    assert "Nguyễn Văn Bảo" in texts[signing_pages[0]]


def test_a_subtitle_is_printed_under_the_title() -> None:
    text = page_texts(make_record(subtitle="Kỳ rà soát từ 01/11/2026 đến 15/11/2026").to_bytes())[0]
    title_at = text.index("BIÊN BẢN SỰ VIỆC")
    assert text.index("Kỳ rà soát từ 01/11/2026 đến 15/11/2026") > title_at


def test_a_date_alone_is_capitalised() -> None:
    assert vietnamese_date(datetime(2026, 3, 5)) == "Ngày 05 tháng 03 năm 2026"


def test_without_the_fonts_printing_is_refused_with_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(pdf, "FONT_DIRS", (tmp_path,))
    with pytest.raises(Conflict, match="fonts-dejavu-core"):
        make_record()
