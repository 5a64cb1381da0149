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
def warm_up() -> str:
    """Load matplotlib and register the Korean font once; returns the font's family name."""
    from matplotlib import font_manager

    for name in FONT_FILES:
        font_manager.fontManager.addfont(str(font_path(name)))
    return font_manager.FontProperties(fname=str(font_path())).get_name()


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


def _label_peaks(ax: Any, days: list[date], peaks: list[tuple[date, int, str]]) -> None:
    """The busiest days' headlines, staggered upwards so they do not cover each other."""
    span = max((days[-1] - days[0]).days, 1)
    for rank, (day, count, headline) in enumerate(peaks):
        where = (day - days[0]).days / span
        align = "left" if where < 0.25 else "right" if where > 0.75 else "center"
        ax.annotate(
            f"{day.month}/{day.day} {count}건\n{trim(headline, 18)}",
            xy=(day, count), xytext=(0, 16 + 30 * rank), textcoords="offset points",
            ha=align, va="bottom", fontsize=8,
            bbox={"boxstyle": "round,pad=0.4", "fc": "white", "ec": "#a0aec0", "lw": 0.6},
            arrowprops={"arrowstyle": "-", "color": "#718096", "lw": 0.6},
        )


def trend_png(title: str, days: list[date], counts: list[int],
              peaks: list[tuple[date, int, str]], names: list[tuple[str, int]],
              footnote: str = "") -> bytes:
    """PNG bytes: counts per day as a line, `peaks` (day, count, headline) labelled,
    `names` (name, count) listed to the right."""
    family = warm_up()
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
        ax.set_ylim(0, max(top * 1.45 + 1, 3))  # room above the line for the labels
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel("기사 수")
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
        fig.savefig(out, format="png", dpi=DPI)
    return out.getvalue()
