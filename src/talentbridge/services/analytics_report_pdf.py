"""The programme report as PDF: fpdf2 (pure Python) with a Korean TrueType font (Debian's fonts-nanum, or the
file named by ``TALENTBRIDGE_PDF_FONT``; none found is a ConfigurationError saying what to install). Charts are
the report's SVG charts, drawn as vector graphics by fpdf2; the tables follow them."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path
from typing import Any

__all__ = ["write_pdf"]


def write_pdf(cover: list[tuple[str, str]], charts: list[dict[str, str]], sections: list[dict[str, Any]],
              font: Path | None = None) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    from talentbridge.services.ai_pack_pdf import korean_font

    font = font or korean_font()
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "TSI3 NOT subset" notes of Nanum's hinting tables
    bold = font.with_name(font.stem + "Bold" + font.suffix)
    pdf = FPDF(format="A4", orientation="landscape")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_font("kr", "", str(font))
    pdf.add_font("kr", "B", str(bold if bold.is_file() else font))
    pdf.set_title("Programme report")
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def heading(text: str, size: int = 12) -> None:
        pdf.ln(2)
        pdf.set_font("kr", "B", size)
        pdf.multi_cell(width, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("kr", "", 8)

    heading(cover[0][1], 16)
    pdf.set_font("kr", "", 9)
    for label, value in cover[1:]:
        pdf.multi_cell(width, 5, f"{label}: {value}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for chart in charts:
        if not chart["svg"]:
            continue
        pdf.add_page()
        heading(chart["title"])
        # fpdf2 draws SVG text with the font the SVG names: point it at the embedded Korean font.
        svg = re.sub(r"<title>.*?</title>", "", chart["svg"]).replace("<svg ", '<svg font-family="kr" ', 1)
        svg = svg.replace('width="100%"', 'width="720"')
        pdf.set_font("kr", "", 8)
        pdf.image(io.BytesIO(svg.encode("utf-8")), w=width)
    for s in sections:
        if pdf.get_y() > pdf.h - 40:
            pdf.add_page()
        heading(f"{s['title_ko']} / {s['title_en']}", 11)
        pdf.set_font("kr", "", 7)
        rows = s["rows"] or [["자료 없음 / No data"] + [""] * (len(s["headers"]) - 1)]
        with pdf.table(text_align="LEFT", line_height=4, first_row_as_headings=True) as t:
            for cells in [s["headers"], *rows]:
                row = t.row()
                for cell in cells:
                    row.cell("" if cell is None else (f"{cell:,}" if isinstance(cell, int) and not isinstance(cell, bool) else str(cell)))
    return bytes(pdf.output())
