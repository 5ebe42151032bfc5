"""The insights dashboard and the conversation graph download."""

from __future__ import annotations

import io
import zoneinfo

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify

from veille.insights import dashboard
from veille.insights.network import conversation_graph, export_gexf
from veille.insights.period import PeriodForm
from veille.web.views import workspace_required


def _period_and_form(request: HttpRequest):
    zone = zoneinfo.ZoneInfo(request.workspace.time_zone)
    form = PeriodForm(request.GET or None)
    today = timezone.now().astimezone(zone).date()
    return form, form.period(zone, today)


@workspace_required
def insights(request: HttpRequest) -> HttpResponse:
    form, period = _period_and_form(request)
    granularity = (form.cleaned_data.get("granularity") if form.is_bound else "") or "week"
    board = dashboard.build(request.workspace, period, granularity)
    return render(request, "insights/dashboard.html", {"form": form, "board": board})


@workspace_required
def graph_download(request: HttpRequest) -> HttpResponse:
    _, period = _period_and_form(request)
    graph = conversation_graph(request.workspace, period.start, period.end)
    buffer = io.BytesIO()
    export_gexf(graph, buffer)
    name = f"{slugify(request.workspace.name) or 'veille'}-{period.first_day}-{period.last_day}"
    response = HttpResponse(buffer.getvalue(), content_type="application/gexf+xml")
    response["Content-Disposition"] = f'attachment; filename="{name}.gexf"'
    return response
