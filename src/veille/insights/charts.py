"""Charts drawn on the server as SVG, so that pages, e-mails and PDF reports show the same.

Matplotlib's object API is used (no pyplot global state: safe in a threaded server), and
text is drawn as paths, so no label reaches the SVG as markup. Pages embed the result as
an <img> data URI, where an SVG cannot run scripts anyway.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from datetime import datetime

from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure

INK = "#1f2933"
ACCENT = "#1d5fbf"
NEGATIVE = "#c0392b"
POSITIVE = "#2e8540"
GRID = "#d9dee3"


def _figure(width: float = 8.0, height: float = 2.6) -> tuple[Figure, object]:
    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(colors=INK, labelsize=8)
    axes.grid(axis="y", color=GRID, linewidth=0.6)
    return figure, axes


def render(figure: Figure, image_format: str = "svg") -> bytes:
    """SVG for pages and PDF; PNG for e-mail, whose readers rarely show SVG."""
    buffer = io.BytesIO()
    metadata = {"Date": None} if image_format == "svg" else {}
    figure.savefig(buffer, format=image_format, metadata=metadata, dpi=100)
    return buffer.getvalue()


MEDIA_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


def data_uri(figure: Figure, image_format: str = "svg") -> str:
    encoded = base64.b64encode(render(figure, image_format)).decode("ascii")
    return f"data:{MEDIA_TYPES[image_format]};base64,{encoded}"


def timeline(
    times: Sequence[datetime],
    values: Sequence[float | None],
    *,
    label: str,
    marks: Sequence[datetime] = (),
    colour: str = ACCENT,
    limits: tuple[float, float] | None = None,
) -> Figure:
    """A line over time, with the marked moments (spikes) circled."""
    figure, axes = _figure()
    if times:
        axes.plot(times, [float("nan") if v is None else v for v in values], color=colour)
        marked = [(t, v) for t, v in zip(times, values, strict=True) if t in set(marks)]
        if marked:
            axes.scatter(
                [t for t, _ in marked],
                [v for _, v in marked],
                s=60,
                facecolors="none",
                edgecolors=NEGATIVE,
                linewidths=1.5,
                zorder=3,
            )
        locator = AutoDateLocator()
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    if limits is not None:
        axes.set_ylim(*limits)
        axes.axhline(0, color=GRID, linewidth=1)
    axes.set_ylabel(label, color=INK, fontsize=8)
    return figure


def bars(labels: Sequence[str], values: Sequence[float], *, label: str) -> Figure:
    """Horizontal bars, largest first as given."""
    figure, axes = _figure(height=0.5 + 0.32 * max(len(labels), 1))
    positions = range(len(labels))
    axes.barh(list(positions), list(values), color=ACCENT)
    axes.set_yticks(list(positions), [text[:40] for text in labels])
    axes.invert_yaxis()
    axes.grid(axis="x", color=GRID, linewidth=0.6)
    axes.grid(axis="y", visible=False)
    axes.set_xlabel(label, color=INK, fontsize=8)
    return figure
