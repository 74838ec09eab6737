"""Charts for the HTML reports: matplotlib figures saved as inline SVG.

Why matplotlib, drawn on the server as SVG: it is the most widely used and best-kept Python charting
library; an SVG inside the page needs no script, no font and no file from anywhere else, so a report opens
offline, prints, and can be mailed as one file; and the same input gives the same bytes (a fixed hash salt,
no date in the metadata), so a report can be diffed. Text stays text (``svg.fonttype: none``): it takes the
page's font and can be searched and copied. matplotlib is imported only when an HTML report is drawn.

Every function returns an ``<svg>`` element (no XML prolog) with a ``<title>`` for screen readers, or ""
when there is nothing to draw.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Callable, Sequence
from html import escape
from typing import Any

INK = "#1d2433"
MUTED = "#5c6370"
GRID = "#e3e6ee"
BLUE = "#4263eb"
ORANGE = "#e8590c"
GREEN = "#2f9e44"
AMBER = "#f08c00"
RED = "#c92a2a"
GREY = "#adb5bd"

BANDS = ((40, RED), (70, AMBER), (101, GREEN))
"""Health colours: under 40 red, under 70 amber, else green (the same bands as the badges)."""

_RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "ae-coach",
    "font.family": "sans-serif",
    "font.sans-serif": ["system-ui", "Segoe UI", "Roboto", "Helvetica", "Arial", "DejaVu Sans"],
    "font.size": 10,
    "axes.edgecolor": GRID,
    "axes.labelcolor": MUTED,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": MUTED,
    "ytick.color": INK,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titlecolor": INK,
}


def health_colour(score: float) -> str:
    """The colour of a health score's band."""
    return next(colour for limit, colour in BANDS if score < limit)


BAND_LABELS = ("health under 40", "40-69", "70+")


def _styled(draw: Callable[..., str]) -> Callable[..., str]:
    # The style holds while one chart is drawn and saved; a caller's own matplotlib settings stay untouched.
    @functools.wraps(draw)
    def wrapper(*args: Any, **kwargs: Any) -> str:
        import matplotlib

        with matplotlib.rc_context(_RC):  # type: ignore[arg-type]
            return draw(*args, **kwargs)

    return wrapper


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _svg(figure: Any, label: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, transparent=True)
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    # inside an HTML page an SVG needs no namespace declarations and no RDF metadata: without them the page
    # holds no URL at all (they were names, never fetched, but "no URL" is simpler to check than to argue)
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.DOTALL)
    text = re.sub(r' xmlns(:\w+)?="[^"]*"', "", text).replace("xlink:href=", "href=")
    text = re.sub(r'<g id="[^"]*"', "<g", text)  # "figure_1", "axes_1"… in every chart: one page, unique ids
    # scale with the page: the figure's size becomes its aspect ratio
    text = re.sub(r'<svg([^>]*?) width="([\d.]+)pt" height="([\d.]+)pt"', r'<svg\1 width="100%"', text, count=1)
    title = f"<title>{escape(label)}</title>"
    return text.replace(">", f' role="img" aria-label="{escape(label, quote=True)}">{title}', 1)


def _money_axis(axis: Any, currency: str = "$") -> None:
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda value, _: short_money(value, currency)))


def short_money(value: float, currency: str = "$") -> str:
    """1_250_000 -> "$1.25M", 643_000 -> "$643k"."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value >= 1_000_000:
        text = f"{value / 1_000_000:.2f}".rstrip("0").rstrip(".") + "M"
    elif value >= 1_000:
        text = f"{value / 1_000:.0f}k"
    else:
        text = f"{value:.0f}"
    return f"{sign}{currency}{text}"


@_styled
def hbars(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    colours: Sequence[str] | None = None,
    targets: Sequence[float | None] | None = None,
    target_label: str = "target",
    value_text: Sequence[str] | None = None,
    money: str | None = None,
    percent: bool = False,
    ticks: Sequence[float] | None = None,
    xlabel: str = "",
    width: float = 6.4,
) -> str:
    """Horizontal bars, one per label (top to bottom), with the value at each bar's end and an optional
    target tick per bar."""
    if not labels:
        return ""
    figure = _figure(width, 0.75 + 0.34 * len(labels))
    axes = figure.add_subplot()
    rows = list(range(len(labels)))[::-1]
    axes.barh(rows, values, color=list(colours or [BLUE] * len(labels)), height=0.62)
    axes.set_yticks(rows, labels=list(labels))
    top = max([*values, *(t for t in targets or [] if t is not None), *(ticks or []), 0]) or 1.0
    axes.set_xlim(0, top * 1.22)
    if ticks is not None:
        axes.set_xticks(list(ticks))
    texts = value_text or [short_money(v, money) if money is not None else f"{v:g}" for v in values]
    for row, value, text in zip(rows, values, texts, strict=True):
        axes.text(value + top * 0.015, row, text, va="center", fontsize=9, color=INK)
    if targets:
        for row, target in zip(rows, targets, strict=True):
            if target is not None:
                axes.plot([target, target], [row - 0.42, row + 0.42], color=ORANGE, linewidth=2.2)
        axes.plot([], [], color=ORANGE, linewidth=2.2, label=target_label)
        axes.legend(loc="lower right", frameon=False, fontsize=9)
    if money is not None:
        _money_axis(axes.xaxis, money)
    if percent:
        from matplotlib.ticker import PercentFormatter

        axes.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes.set_xlabel(xlabel)
    axes.grid(axis="x", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    axes.tick_params(axis="y", length=0)
    axes.set_title(title)
    return _svg(figure, title)


@_styled
def grouped_bars(
    groups: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    title: str,
    colours: Sequence[str] = (GREY, BLUE),
    line: tuple[float, str] | None = None,
    money: str | None = "$",
    ylabel: str = "",
    labels: bool = True,
    width: float = 6.4,
    height: float = 3.2,
) -> str:
    """Vertical bars: for each group, one bar per series (side by side), labelled with its value; ``line``
    draws a horizontal reference (value, label), e.g. the quota; ``labels``: the value above each bar."""
    if not groups:
        return ""
    figure = _figure(width, height)
    axes = figure.add_subplot()
    n = len(series)
    bar = 0.8 / n
    top = max([v for values in series.values() for v in values] + [line[0] if line else 0, 0]) or 1.0
    for i, ((name, values), colour) in enumerate(zip(series.items(), colours, strict=False)):
        xs = [g + (i - (n - 1) / 2) * bar for g in range(len(groups))]
        axes.bar(xs, values, width=bar * 0.92, color=colour, label=name)
        if not labels:
            continue
        for x, value in zip(xs, values, strict=True):
            text = short_money(value, money) if money is not None else f"{value:.0%}"
            axes.text(x, value + top * 0.02, text, ha="center", va="bottom", fontsize=8.5 if n < 3 else 7, color=INK)
    if line is not None:
        axes.axhline(line[0], color=ORANGE, linewidth=1.8, linestyle="--")
        axes.text(-0.5, line[0], f" {line[1]}", va="bottom", ha="left", fontsize=9, color=ORANGE)
    axes.set_xticks(range(len(groups)), labels=list(groups))
    axes.set_ylim(0, top * 1.18)
    if money is not None:
        _money_axis(axes.yaxis, money)
    else:
        from matplotlib.ticker import PercentFormatter

        axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    axes.set_ylabel(ylabel)
    axes.grid(axis="y", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    axes.tick_params(axis="x", length=0)
    figure.legend(frameon=False, fontsize=9, ncols=n, loc="outside lower center")
    axes.set_title(title)
    return _svg(figure, title)


@_styled
def health_histogram(scores: Sequence[int], *, title: str, width: float = 6.4) -> str:
    """How many deals fall in each band of ten health points, coloured by band."""
    if not scores:
        return ""
    figure = _figure(width, 2.6)
    axes = figure.add_subplot()
    edges = list(range(0, 101, 10))
    counts = [sum(1 for s in scores if lo <= s < lo + 10 or (lo == 90 and s == 100)) for lo in edges[:-1]]
    axes.bar([lo + 5 for lo in edges[:-1]], counts, width=9.2, color=[health_colour(lo + 5) for lo in edges[:-1]])
    for lo, count in zip(edges[:-1], counts, strict=True):
        if count:
            axes.text(lo + 5, count, str(count), ha="center", va="bottom", fontsize=9, color=INK)
    axes.set_xticks(edges)
    axes.set_xlim(0, 100)
    axes.set_ylim(0, max(counts) * 1.25)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_xlabel("health (0-100)")
    axes.set_ylabel("deals")
    axes.grid(axis="y", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    axes.set_title(title)
    return _svg(figure, title)


@_styled
def health_scale(score: int, *, title: str, width: float = 6.4) -> str:
    """A 0-100 scale in the band colours with the score marked on it."""
    figure = _figure(width, 1.05)
    axes = figure.add_subplot()
    start = 0
    for limit, colour in BANDS:
        end = min(limit, 100)
        axes.barh(0, end - start, left=start, height=0.5, color=colour, alpha=0.85 if start <= score < limit else 0.3)
        start = end
    axes.plot([score], [0.36], marker="v", markersize=11, color=INK)
    axes.text(score, 0.52, f"{score}", ha="center", va="bottom", fontsize=11, fontweight="bold", color=INK)
    axes.set_xlim(0, 100)
    axes.set_ylim(-0.4, 1.0)
    axes.set_yticks([])
    axes.set_xticks([0, 40, 70, 100])
    axes.spines["left"].set_visible(False)
    axes.set_title(title)
    return _svg(figure, title)


@_styled
def timeline(
    events: Sequence[tuple[dt.date, str, str]],
    *,
    title: str,
    marks: Sequence[tuple[dt.date, str]] = (),
    lanes: Sequence[str] = (),
    colours: dict[str, str] | None = None,
    width: float = 6.4,
) -> str:
    """Dated events as dots in lanes (``(date, lane, kind)``; ``kind`` picks the colour), with vertical
    ``marks`` (today, the close date)."""
    if not events:
        return ""
    import matplotlib.dates as mdates

    order = list(lanes) or list(dict.fromkeys(lane for _, lane, _ in events))
    figure = _figure(width, 0.9 + 0.36 * len(order))
    axes = figure.add_subplot()
    palette = colours or {}
    kinds = list(dict.fromkeys(kind for _, _, kind in events))
    for kind in kinds:
        mine = [(day, order.index(lane)) for day, lane, k in events if k == kind and lane in order]
        axes.scatter(
            [d for d, _ in mine],
            [len(order) - 1 - y for _, y in mine],
            s=46,
            color=palette.get(kind, BLUE),
            label=kind,
            zorder=3,
            edgecolors="white",
            linewidths=0.8,
        )
    for day, label in marks:
        axes.axvline(day, color=ORANGE if "close" in label else INK, linewidth=1.4, linestyle="--", zorder=2)
        axes.text(day, -0.55, f" {label}", fontsize=8.5, color=MUTED, va="bottom")
    axes.set_yticks(range(len(order)), labels=order[::-1])
    axes.set_ylim(-0.6, len(order) - 0.1)
    locator = mdates.AutoDateLocator(maxticks=8)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    axes.grid(axis="x", color=GRID, linewidth=0.8)
    axes.tick_params(axis="y", length=0)
    figure.legend(frameon=False, fontsize=8.5, ncols=min(len(kinds), 5), loc="outside lower center")
    axes.set_title(title)
    return _svg(figure, title)


@_styled
def scatter_dates(
    points: Sequence[tuple[dt.date, float, int, str]],
    *,
    title: str,
    marks: Sequence[tuple[dt.date, str]] = (),
    money: str = "$",
    width: float = 6.4,
) -> str:
    """Deals by close date (x) and amount (y), coloured by health: ``(close, amount, health, label)``."""
    if not points:
        return ""
    figure = _figure(width, 3.2)
    axes = figure.add_subplot()
    axes.scatter(
        [p[0] for p in points],
        [p[1] for p in points],
        s=[30 + 60 * (p[1] / max(q[1] for q in points)) for p in points],
        c=[health_colour(p[2]) for p in points],
        alpha=0.85,
        edgecolors="white",
        linewidths=0.8,
        zorder=3,
    )
    for day, label in marks:
        axes.axvline(day, color=INK if label == "today" else ORANGE, linewidth=1.3, linestyle="--")
        axes.text(day, axes.get_ylim()[1], f" {label}", fontsize=8.5, color=MUTED, va="top")
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(maxticks=8)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    _money_axis(axes.yaxis, money)
    axes.set_ylabel("amount")
    axes.grid(color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    for (_, colour), label in zip(BANDS, BAND_LABELS, strict=True):
        axes.scatter([], [], color=colour, label=label)
    figure.legend(frameon=False, fontsize=8.5, ncols=3, loc="outside lower center")
    axes.set_title(title)
    return _svg(figure, title)
