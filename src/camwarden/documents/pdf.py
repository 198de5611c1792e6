"""Written records as PDF, laid out the way Vietnamese administrative papers are.

The head follows Decree 30/2020/NĐ-CP: the school's name and the document's number on the
left, the national title and motto on the right, the place and date under them, then the
document's title in capitals. Signature blocks end the paper: a title, "(Ký, ghi rõ họ tên)"
and room to sign.

DejaVu is used because it has every Vietnamese letter with its marks (ạ, ằ, ữ…), which the
PDF core fonts do not; Debian ships it as `fonts-dejavu-core`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos
from fpdf.fonts import FontFace

from camwarden.errors import Conflict

FONT_FAMILY = "DejaVu"
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/local/share/fonts/truetype/dejavu"),
)
_FONT_FILES = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
    "BI": "DejaVuSans-BoldOblique.ttf",
}
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
SIGN_HERE = "(Ký, ghi rõ họ tên)"

_BODY_SIZE = 11
_LINE = 6.0


def font_directory() -> Path:
    for directory in FONT_DIRS:
        if all((directory / name).is_file() for name in _FONT_FILES.values()):
            return directory
    raise Conflict(
        "The DejaVu fonts are missing, so Vietnamese text cannot be printed. "
        "Install the Debian package fonts-dejavu-core."
    )


def vietnamese_date(moment: datetime, place: str = "") -> str:
    """ "Hà Nội, ngày 26 tháng 11 năm 2026" — `moment` already in school time."""
    text = f"ngày {moment.day:02d} tháng {moment.month:02d} năm {moment.year}"
    return f"{place}, {text}" if place else text.capitalize()


class OfficialDocument:
    """One paper: build it top to bottom, then take its bytes."""

    def __init__(
        self,
        *,
        school_name: str,
        title: str,
        number: str = "",
        place_and_date: str = "",
        subtitle: str = "",
        created_at: datetime | None = None,
    ) -> None:
        pdf = FPDF(orientation="portrait", unit="mm", format="A4")
        pdf.set_margins(left=20, top=15, right=15)
        pdf.set_auto_page_break(auto=True, margin=18)
        fonts = font_directory()
        for style, name in _FONT_FILES.items():
            pdf.add_font(FONT_FAMILY, style=style, fname=str(fonts / name))
        pdf.set_title(title)
        pdf.set_author(school_name)
        pdf.set_creator("camwarden")
        if created_at is not None:
            # The same record printed twice gives the same bytes, so its hash can be compared.
            pdf.set_creation_date(created_at)
        pdf.alias_nb_pages()
        self._pdf = pdf
        self._footer_text = f"{number}  ·  " if number else ""
        pdf.add_page()
        self._national_head(school_name, number, place_and_date)
        self._title(title, subtitle)
        self._font()

    # -- building blocks -------------------------------------------------------------------

    def heading(self, text: str) -> None:
        self._room(_LINE * 3)
        self._pdf.ln(2)
        self._font("B", _BODY_SIZE + 1)
        self._pdf.multi_cell(0, _LINE + 1, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self._font()

    def paragraph(self, text: str) -> None:
        self._font()
        self._pdf.multi_cell(0, _LINE, text or "—", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self._pdf.ln(1)

    def field(self, label: str, value: str) -> None:
        """ "Label: value" with the label in bold, wrapping under the value."""
        self._font()
        self._pdf.multi_cell(
            0,
            _LINE,
            f"**{_escape_markdown(label)}:** {_escape_markdown(value) or '—'}",
            markdown=True,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float] | None = None,
    ) -> None:
        self._font(size=_BODY_SIZE - 2)
        if not rows:
            self.paragraph("(Không có)")
            return
        with self._pdf.table(
            col_widths=tuple(widths) if widths else None,
            line_height=_LINE - 1,
            text_align="LEFT",
            align="LEFT",
            width=self._pdf.epw,
            headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
            first_row_as_headings=True,
        ) as table:
            heading = table.row()
            for text in headers:
                heading.cell(text)
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(str(value))
        self._pdf.ln(2)
        self._font()

    def signatures(self, signers: Sequence[tuple[str, str]]) -> None:
        """Side by side blocks: the signer's title, the instruction, room, their name."""
        if not signers:
            return
        pdf = self._pdf
        self._room(45)
        pdf.ln(6)
        width = pdf.epw / len(signers)
        top = pdf.get_y()
        for index, (title, name) in enumerate(signers):
            x = pdf.l_margin + index * width
            pdf.set_xy(x, top)
            self._font("B")
            pdf.multi_cell(width, _LINE, title.upper(), align=Align.C)
            pdf.set_x(x)
            self._font("I", _BODY_SIZE - 1)
            pdf.multi_cell(width, _LINE, SIGN_HERE, align=Align.C)
            pdf.set_xy(x, top + 34)
            self._font("B")
            pdf.multi_cell(width, _LINE, name, align=Align.C)
        pdf.set_xy(pdf.l_margin, top + 34 + _LINE * 2)
        self._font()

    def to_bytes(self) -> bytes:
        self._page_numbers()
        return bytes(self._pdf.output())

    # -- layout ------------------------------------------------------------------------------

    def _national_head(self, school_name: str, number: str, place_and_date: str) -> None:
        pdf = self._pdf
        left = pdf.epw * 0.42
        right = pdf.epw - left
        top = pdf.get_y()
        self._font(size=_BODY_SIZE - 1)
        pdf.multi_cell(left, _LINE - 0.5, "", align=Align.C)  # keeps both columns level
        pdf.set_xy(pdf.l_margin, top)
        self._font("B", _BODY_SIZE - 1)
        pdf.multi_cell(left, _LINE - 0.5, school_name.upper(), align=Align.C)
        if number:
            self._font(size=_BODY_SIZE - 1)
            pdf.set_x(pdf.l_margin)
            pdf.multi_cell(left, _LINE, f"Số: {number}", align=Align.C)
        left_bottom = pdf.get_y()
        pdf.set_xy(pdf.l_margin + left, top)
        self._font("B", _BODY_SIZE - 1)
        pdf.multi_cell(right, _LINE - 0.5, NATIONAL_TITLE, align=Align.C)
        pdf.set_x(pdf.l_margin + left)
        self._font("B", _BODY_SIZE)
        pdf.multi_cell(right, _LINE, NATIONAL_MOTTO, align=Align.C)
        motto_width = pdf.get_string_width(NATIONAL_MOTTO)
        underline_y = pdf.get_y() + 0.5
        centre = pdf.l_margin + left + right / 2
        pdf.line(centre - motto_width / 2, underline_y, centre + motto_width / 2, underline_y)
        pdf.set_y(max(left_bottom, pdf.get_y()) + 3)
        if place_and_date:
            self._font("I", _BODY_SIZE)
            pdf.set_x(pdf.l_margin + left)
            pdf.multi_cell(right, _LINE, place_and_date, align=Align.C)
        pdf.set_x(pdf.l_margin)
        pdf.ln(4)

    def _title(self, title: str, subtitle: str) -> None:
        pdf = self._pdf
        self._font("B", _BODY_SIZE + 3)
        pdf.multi_cell(
            0, _LINE + 2, title.upper(), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        if subtitle:
            self._font("I", _BODY_SIZE)
            pdf.multi_cell(0, _LINE, subtitle, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(3)

    def _page_numbers(self) -> None:
        pdf = self._pdf
        pages = pdf.pages_count
        for page in range(1, pages + 1):
            pdf.page = page
            pdf.set_auto_page_break(auto=False)
            self._font("I", 8)
            pdf.set_xy(pdf.l_margin, pdf.h - 12)
            pdf.cell(0, 5, f"{self._footer_text}Trang {page}/{pages}", align=Align.R)
        pdf.page = pages

    def _room(self, height: float) -> None:
        """Start a new page when what follows would be cut by the page's end."""
        pdf = self._pdf
        if pdf.get_y() + height > pdf.h - pdf.b_margin:
            pdf.add_page()

    def _font(self, style: str = "", size: float = _BODY_SIZE) -> None:
        self._pdf.set_font(FONT_FAMILY, style=style, size=size)


def _escape_markdown(text: str) -> str:
    # fpdf2's markdown reads ** and __ as bold/underline; a name with them stays as typed.
    return text.replace("\\", "\\\\").replace("**", "\\*\\*").replace("__", "\\_\\_")
