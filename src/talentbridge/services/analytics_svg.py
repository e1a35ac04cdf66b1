"""Charts as inline SVG strings (no script, no CDN): a Sankey of flows between organization kinds and grouped
bars. Used by the operator page (works without JavaScript) and the printable programme report.

Every chart carries ``role="img"`` and a ``<title>``; numbers are also in the tables beside them. Suppressed
values (``None``) are drawn as zero-width links/bars and labelled ``<5``.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

__all__ = ["sankey_svg", "bars_svg", "PALETTE"]

PALETTE = ("#2563eb", "#16a34a", "#ea580c", "#9333ea", "#0891b2", "#dc2626", "#65a30d", "#c026d3")


def _fmt(value: Any) -> str:
    return "<5" if value is None else f"{value:,}"


def sankey_svg(flows: Sequence[tuple[str, str, int | None]], title: str, width: int = 720, height: int = 360) -> str:
    """Flows (source label, target label, count) as a two-column Sankey: sources left, targets right, link
    widths proportional to counts. Sources and targets are separate columns, so a kind may appear on both sides."""
    if not flows:
        return ""
    sources: dict[str, int] = {}
    targets: dict[str, int] = {}
    for src, dst, n in flows:
        sources[src] = sources.get(src, 0) + (n or 0)
        targets[dst] = targets.get(dst, 0) + (n or 0)
    total = max(sum(sources.values()), 1)
    gap, top, node_w, label_w = 8, 28, 14, 150
    usable = height - top - 10 - gap * max(len(sources), len(targets))
    scale = max(usable, 40) / total

    def column(nodes: dict[str, int]) -> dict[str, list[float]]:
        y, out = float(top), {}
        for name, n in sorted(nodes.items(), key=lambda kv: -kv[1]):
            h = max(n * scale, 2.0)
            out[name] = [y, h, y]  # top, height, cursor for links
            y += h + gap
        return out

    left, right = column(sources), column(targets)
    x0, x1 = label_w, width - label_w
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{escape(title)}" class="sankey"><title>{escape(title)}</title>']
    colour = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(left)}
    for src, dst, n in sorted(flows, key=lambda f: (-(sources[f[0]]), -(f[2] or 0))):
        w = max((n or 0) * scale, 1.0)
        ys, yt = left[src][2], right[dst][2]
        left[src][2] += (n or 0) * scale
        right[dst][2] += (n or 0) * scale
        mid = (x0 + node_w + x1) / 2
        a, b = x0 + node_w, x1
        parts.append(
            f'<path d="M{a:.1f},{ys:.1f} C{mid:.1f},{ys:.1f} {mid:.1f},{yt:.1f} {b:.1f},{yt:.1f} '
            f'L{b:.1f},{yt + w:.1f} C{mid:.1f},{yt + w:.1f} {mid:.1f},{ys + w:.1f} {a:.1f},{ys + w:.1f} Z" '
            f'fill="{colour[src]}" fill-opacity="0.35"><title>{escape(src)} → {escape(dst)}: {_fmt(n)}</title></path>'
        )
    for name, (y, h, _) in left.items():
        parts.append(f'<rect x="{x0}" y="{y:.1f}" width="{node_w}" height="{h:.1f}" fill="{colour[name]}"/>')
        parts.append(f'<text x="{x0 - 6}" y="{y + h / 2 + 4:.1f}" text-anchor="end" font-size="12">'
                     f'{escape(name)} ({_fmt(sources[name])})</text>')
    for name, (y, h, _) in right.items():
        parts.append(f'<rect x="{x1}" y="{y:.1f}" width="{node_w}" height="{h:.1f}" fill="#475569"/>')
        parts.append(f'<text x="{x1 + node_w + 6}" y="{y + h / 2 + 4:.1f}" font-size="12">'
                     f'{escape(name)} ({_fmt(targets[name])})</text>')
    parts.append("</svg>")
    return "".join(parts)


def bars_svg(categories: Sequence[str], series: Sequence[tuple[str, Sequence[int | float | None]]], title: str,
             width: int = 720, row: int = 22) -> str:
    """Horizontal grouped bars: one group per category, one bar per series, with a legend."""
    if not categories:
        return ""
    label_w, legend_h = 170, 22
    peak = max([v or 0 for _, values in series for v in values] + [1])
    bar_h = max((row - 4) / max(len(series), 1), 4)
    height = legend_h + len(categories) * (row + 6) + 10
    span = width - label_w - 70
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{escape(title)}" class="bars"><title>{escape(title)}</title>']
    x = label_w
    for i, (name, _) in enumerate(series):
        parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>'
                     f'<text x="{x + 16}" y="15" font-size="12">{escape(name)}</text>')
        x += 24 + 8 * len(name)
    for c, cat in enumerate(categories):
        y0 = legend_h + c * (row + 6)
        parts.append(f'<text x="{label_w - 6}" y="{y0 + row / 2 + 4:.1f}" text-anchor="end" font-size="12">'
                     f'{escape(str(cat))}</text>')
        for s, (_, values) in enumerate(series):
            v = values[c]
            w = (v or 0) / peak * span
            y = y0 + s * bar_h
            parts.append(f'<rect x="{label_w}" y="{y:.1f}" width="{w:.1f}" height="{bar_h - 1:.1f}" '
                         f'fill="{PALETTE[s % len(PALETTE)]}"/>'
                         f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 2:.1f}" font-size="10">{_fmt(v)}</text>')
    parts.append("</svg>")
    return "".join(parts)
