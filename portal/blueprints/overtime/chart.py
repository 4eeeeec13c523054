"""A horizontal bar chart as inline SVG, drawn on the server (no script, prints as is)."""

from markupsafe import Markup, escape

ROW, LABEL, WIDTH = 26, 120, 320


def bar_chart(rows: list[tuple[str, int]]) -> Markup:
    """One bar per (label, cents), the longest bar the largest amount; empty when no rows."""
    if not rows:
        return Markup("")
    top = max(cents for _label, cents in rows) or 1
    parts = [f'<svg class="bar-chart" role="img" viewBox="0 0 {LABEL + WIDTH + 90} '
             f'{ROW * len(rows) + 4}" xmlns="http://www.w3.org/2000/svg">']
    for n, (label, cents) in enumerate(rows):
        y = n * ROW + 2
        width = max(1, round(WIDTH * cents / top))
        parts.append(
            f'<text x="{LABEL - 6}" y="{y + 17}" text-anchor="end" font-size="13">'
            f'{escape(label[:12])}</text>'
            f'<rect x="{LABEL}" y="{y + 4}" width="{width}" height="{ROW - 8}" fill="#1f5fa8">'
            f'</rect><text x="{LABEL + width + 6}" y="{y + 17}" font-size="13">'
            f'¥{cents / 100:,.2f}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
