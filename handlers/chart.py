"""A day-by-day line chart as PNG bytes, with Korean text (what /trend sends).

Drawn with matplotlib's object API (a Figure on the Agg canvas, no pyplot state), so it is
safe in the store's worker thread. The Korean font is NanumGothic as the
koreanize-matplotlib package ships it: installed with the project, never downloaded, and
read from the package folder without importing the package (importing it would change
matplotlib's global settings). matplotlib itself is imported on the first chart, since it
takes about a second to load and only /trend needs it; the bot loads it at start-up
(`warm_up`).
"""

from __future__ import annotations

import functools
import importlib.util
import io
import warnings
from datetime import date
from pathlib import Path
from typing import Any

from handlers.format import trim

FONT_PACKAGE = "koreanize_matplotlib"
FONT_FILES = ("NanumGothic.ttf", "NanumGothicBold.ttf")  # the bold one registers as weight 600
WIDTH, HEIGHT, DPI = 9.0, 5.0, 100  # 900 x 500 pixels: sharp on a phone, about 60 KB
LINE = "#2b6cb0"


def font_path(name: str = FONT_FILES[0]) -> Path:
    """Where the installed font package keeps `name`."""
    spec = importlib.util.find_spec(FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the {FONT_PACKAGE} package (the Korean chart font) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "fonts" / name


@functools.cache
def _family() -> str:
    """Load matplotlib and register the Korean font once; returns the font's family name."""
    from matplotlib import font_manager

    for name in FONT_FILES:
        font_manager.fontManager.addfont(str(font_path(name)))
    return font_manager.FontProperties(fname=str(font_path())).get_name()


def warm_up() -> None:
    """Draw a small chart once, so that loading matplotlib and reading the font (a few
    seconds on a busy machine) is not the first /trend's wait."""
    today = date.today()
    trend_png("준비", [today], [1], [(today, 1, "준비")], [("준비", 1)], "준비")


def _date_axis(ax: Any, days: list[date]) -> None:
    from matplotlib import dates as mdates
    from matplotlib.ticker import FuncFormatter

    span = (days[-1] - days[0]).days
    if span > 120:
        ax.xaxis.set_major_locator(mdates.MonthLocator())
        label = "{d.month}월"
    else:
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=4, maxticks=8))
        label = "{d.month}/{d.day}"
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: label.format(d=mdates.num2date(x))))
    pad = 0.5 if span else 1.0
    ax.set_xlim(mdates.date2num(days[0]) - pad, mdates.date2num(days[-1]) + pad)


LABEL_ROWS = (0.95, 0.82, 0.69)  # heights of the headline labels, in axes fractions
LABEL_WIDTH = 0.3  # about how much of the axes' width one label takes


def _label_rows(places: list[float]) -> list[int]:
    """A row for each label at x position `places` (0..1 of the axes), busiest first: the
    lowest row where it does not overlap a label already placed."""
    rows: list[int] = []
    taken: list[tuple[float, int]] = []
    for x in places:
        row = next((r for r in range(len(LABEL_ROWS))
                    if all(abs(x - other) >= LABEL_WIDTH for other, used in taken if used == r)),
                   len(rows) % len(LABEL_ROWS))
        rows.append(row)
        taken.append((x, row))
    return rows


def _label_peaks(ax: Any, days: list[date], peaks: list[tuple[date, int, str]]) -> None:
    """The busiest days' headlines in rows above the line, each with a thin line down to
    its day; labels near the edges lean inwards, close ones take different rows."""
    span = max((days[-1] - days[0]).days, 1)
    places = [min(max((day - days[0]).days / span, 0.0), 1.0) for day, _, _ in peaks]
    for (day, count, headline), where, row in zip(peaks, places, _label_rows(places)):
        align = "left" if where < 0.2 else "right" if where > 0.8 else "center"
        ax.annotate(
            f"{day.month}/{day.day} {count}건\n{trim(headline, 18)}",
            xy=(day, count), xytext=(day, LABEL_ROWS[row]), textcoords=("data", "axes fraction"),
            ha=align, va="top", fontsize=8, linespacing=1.35,
            bbox={"boxstyle": "round,pad=0.4", "fc": "white", "ec": "#a0aec0", "lw": 0.6},
            arrowprops={"arrowstyle": "-", "color": "#718096", "lw": 0.6},
        )


def trend_png(title: str, days: list[date], counts: list[int],
              peaks: list[tuple[date, int, str]], names: list[tuple[str, int]],
              footnote: str = "") -> bytes:
    """PNG bytes: counts per day as a line, `peaks` (day, count, headline) labelled,
    `names` (name, count) listed to the right."""
    family = _family()
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    with rc_context({"font.family": family, "axes.unicode_minus": False}):
        fig = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.07, 0.13, 0.64, 0.71))
        ax.plot(days, counts, color=LINE, linewidth=2,
                marker="o" if len(days) <= 45 else None, markersize=3.5)
        ax.fill_between(days, counts, color=LINE, alpha=0.12)
        _date_axis(ax, days)
        top = max(counts) if counts else 0
        ax.set_ylim(0, max(top * 1.9 + 1, 4))  # the top 40 % of the axes for the labels
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel("소식 수")
        ax.grid(axis="y", color="#e2e8f0", linewidth=0.8)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        _label_peaks(ax, days, peaks)
        fig.text(0.07, 0.93, title, fontsize=13, fontweight="semibold", ha="left", va="center")
        fig.text(0.75, 0.84, "많이 나온 이름", fontsize=11, fontweight="semibold", va="top")
        lines = [f"{i}. {trim(name, 12)}  {n}건" for i, (name, n) in enumerate(names, 1)]
        fig.text(0.75, 0.78, "\n".join(lines) or "이름이 나온 기사가 없어요",
                 fontsize=10, va="top", linespacing=1.9)
        if footnote:
            fig.text(0.07, 0.025, footnote, fontsize=8, color="#718096", ha="left")
        out = io.BytesIO()
        with warnings.catch_warnings():  # a character the font lacks is drawn as a box
            warnings.filterwarnings("ignore", message="Glyph .* missing from font")
            fig.savefig(out, format="png", dpi=DPI)
    return out.getvalue()
