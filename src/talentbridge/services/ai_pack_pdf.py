"""The documentation pack as PDF: fpdf2 (pure Python) with a Korean TrueType font.

Korean needs a TTF with Hangul: Debian's ``fonts-nanum`` (``/usr/share/fonts/truetype/nanum``) is looked for,
or the file named by ``TALENTBRIDGE_PDF_FONT``. Without one the pack is refused with a ConfigurationError that
says what to install — never a PDF of empty boxes.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from talentbridge.domain.errors import ConfigurationError

__all__ = ["FONT_CANDIDATES", "korean_font", "write_pdf"]

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
    "/usr/share/fonts/truetype/nanum/NanumBarunGothic.ttf",
    "/usr/share/fonts/nanum/NanumGothic.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansKR-Regular.ttf",
)


def korean_font(candidates: tuple[str, ...] = FONT_CANDIDATES) -> Path:
    """The Korean TTF to embed: ``TALENTBRIDGE_PDF_FONT`` if set, else the first candidate that exists."""
    chosen = os.environ.get("TALENTBRIDGE_PDF_FONT")
    paths = [chosen] if chosen else list(candidates)
    for p in paths:
        if p and Path(p).is_file():
            return Path(p)
    raise ConfigurationError(
        "no Korean font for the PDF documentation pack: install Debian's fonts-nanum (apt-get install fonts-nanum) "
        f"or set TALENTBRIDGE_PDF_FONT to a .ttf with Hangul (looked for: {', '.join(str(p) for p in paths)})"
    )


def write_pdf(content: dict[str, Any], path: Path, font: Path | None = None) -> Path:
    """Write the pack (Korean, with the English method after it) to ``path``."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    font = font or korean_font()
    bold = font.with_name(font.stem + "Bold" + font.suffix)
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("kr", "", str(font))
    pdf.add_font("kr", "B", str(bold if bold.is_file() else font))
    pdf.set_title(f"AI documentation pack - {content['title']}")
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def heading(text: str, size: int = 13) -> None:
        pdf.ln(2)
        pdf.set_font("kr", "B", size)
        pdf.multi_cell(width, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("kr", "", 9)

    def para(text: str) -> None:
        pdf.set_font("kr", "", 9)
        pdf.multi_cell(width, 5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def table(header: list[str], rows: list[list[Any]]) -> None:
        if not rows:
            return
        pdf.set_font("kr", "", 8)
        with pdf.table(text_align="LEFT", line_height=4.5, first_row_as_headings=True) as t:
            for cells in [header, *rows]:
                row = t.row()
                for cell in cells:
                    row.cell("" if cell is None else str(cell))
        pdf.ln(1)

    m = content["method"]["ko"]
    heading(f"AI 문서 묶음 (인공지능기본법) — {content['title']}", 15)
    para(
        f"생성 {content['generated_at'].strftime('%Y-%m-%d %H:%M UTC')} · TalentBridge {content['software_version']} · "
        f"분류 체계 버전 {content['taxonomy_version'] or '내장'}"
    )
    heading("1. 방법")
    for p in m["method"]:
        para(p)
    heading("2. 데이터 출처")
    for p in m["sources"]:
        para("· " + p)
    heading("3. 모델과 학습 데이터")
    for p in m["models"]:
        para("· " + p)
    heading("4. AI 실행 기록")
    table(["종류", "건수"], [[k, n] for k, n in sorted(content["counts"].items())] or [["-", 0]])
    for r in content.get("records") or []:
        para(f"{r['created_at']:%Y-%m-%d %H:%M} {r['kind']} {r['subject']} · {r['items']}건 · {r['actor'] or ''}")
    heading("5. 공정성 감사 (성별·연령대·국적·지역별 영향 비율, 0.8 미만 표시)")
    shortlists = content.get("shortlists")
    if shortlists:
        if "error" in shortlists:
            para(f"추천 목록 감사 실패: {shortlists['error']}")
        else:
            para(f"공개 직무 {shortlists['openings']}개의 상위 {shortlists['top']} 추천 목록")
            _fairness(shortlists, heading, table, para)
    for s in content.get("rounds", []):
        f = s["fairness"]
        heading(f"라운드 {s['round']['name']} (#{s['round']['id']})", 11)
        if f["run_id"] is None:
            para("아직 실행 없음")
            continue
        para(f"실행 #{f['run_id']} ({'승인됨' if f['approved'] else '최근 실행, 미승인'}) · 참가자 {f['participants']} · "
             f"배정 {f['placed']}")  # fmt: skip
        _fairness(f, heading, table, para)
    heading("6. 진단과 승인")
    for s in content.get("rounds", []):
        rnd = s["round"]
        heading(f"{rnd['name']} (#{rnd['id']}) · {rnd['status']}", 11)
        para(f"승인·발표: {rnd['published_by'] or '아직 없음'} {rnd['published_at'] or ''}")
        table(
            ["실행", "방식", "참가자", "자리", "배정", "미배정", "빈자리", "차단 쌍", "실행자", "승인"],
            [
                [
                    f"#{r['run_id']}",
                    r["mechanism"],
                    r["summary"].get("participants"),
                    r["summary"].get("seats"),
                    r["summary"].get("placed"),
                    r["summary"].get("unmatched"),
                    r["summary"].get("empty_seats"),
                    r["summary"].get("blocking_pairs"),
                    r["created_by"] or "",
                    r["published_by"] or "",
                ]  # fmt: skip
                for r in s["runs"]
            ],
        )
        for r in s["records"]:
            para(f"{r['created_at']:%Y-%m-%d %H:%M} {r['kind']} {r['subject']} · {r['items']}건 · {r['actor'] or ''} · "
                 f"가중치 {json.dumps(r['weights'], ensure_ascii=False)[:300]}")  # fmt: skip
        para(f"사람 검토 요청: 열림 {s['reviews']['open']}, 답변됨 {s['reviews']['answered']}")
    heading("Method (English)")
    en = content["method"]["en"]
    for p in en["method"] + en["sources"] + en["models"]:
        para(p)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def _fairness(f: dict[str, Any], heading: Any, table: Any, para: Any) -> None:
    for dim, rates in f["dimensions"].items():
        table(
            [dim, "대상", "선정", "선정률", "영향 비율", ""],
            [
                [
                    g["group"],
                    g["eligible"],
                    g["selected"],
                    f"{g['rate']:.4f}",
                    "" if g["impact_ratio"] is None else f"{g['impact_ratio']:.3f}",
                    "0.8 미만" if g["flagged"] else ("소수" if g["small"] else ""),
                ]  # fmt: skip
                for g in rates
            ],
        )
    para(f"0.8 미만 집단: {len(f['flagged'])}")
