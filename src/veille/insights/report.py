"""Reports: the dashboard of a period as one self-contained HTML file, or as a PDF.

The HTML carries its stylesheet and its charts inline, so it can be mailed or archived as
is. The PDF is that HTML printed by Debian's Chromium, headless, with no network.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation

from veille.core.models import Workspace
from veille.insights import dashboard
from veille.insights.period import Period

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
]


class ReportError(Exception):
    """The report could not be produced; the message says why."""


def render_html(
    workspace: Workspace,
    period: Period,
    granularity: str = "week",
    language: str = "fr",
    chart_format: str = "svg",
) -> str:
    stylesheet = Path(finders.find("veille/veille.css")).read_text(encoding="utf-8")
    with translation.override(language), timezone.override(period.zone):
        board = dashboard.build(workspace, period, granularity, chart_format)
        return render_to_string(
            "insights/report.html",
            {
                "workspace": workspace,
                "board": board,
                "stylesheet": stylesheet,
                "generated_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            },
        )


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser"):
        if found := shutil.which(name):
            return found
    raise ReportError(
        "PDF reports are printed by Chromium, which is not installed: "
        "`apt-get install chromium`, or ask for --format html"
    )


def html_to_pdf(html: str, out: Path, timeout: float = 120) -> None:
    browser = chromium_path()
    with tempfile.TemporaryDirectory(prefix="veille-report-") as work:
        page = Path(work) / "report.html"
        page.write_text(html, encoding="utf-8")
        command = [
            browser,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={work}/profile",
            f"--print-to-pdf={out.resolve()}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise ReportError(f"Chromium took more than {timeout:.0f} s to print {out}") from None
    if done.returncode != 0 or not out.exists() or out.stat().st_size == 0:
        raise ReportError(f"Chromium could not print {out}: {done.stderr.strip()[-500:]}")
