"""The insights dashboard and the conversation graph download."""

from __future__ import annotations

import io
import zoneinfo

from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from veille.core.models import Membership, Role
from veille.insights import dashboard, tables
from veille.insights.network import conversation_graph, export_gexf
from veille.insights.outcomes import OutcomeImportError, import_csv
from veille.insights.period import PeriodForm
from veille.web.views import workspace_required


def _period_and_form(request: HttpRequest):
    zone = zoneinfo.ZoneInfo(request.workspace.time_zone)
    form = PeriodForm(request.GET or None)
    today = timezone.now().astimezone(zone).date()
    return form, form.period(zone, today)


MAX_OUTCOME_FILE = 5 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EDITORS = (Role.OWNER, Role.MANAGER)


def _can_import(request: HttpRequest) -> bool:
    return Membership.objects.filter(
        user=request.user, workspace=request.workspace, role__in=EDITORS
    ).exists()


@workspace_required
def insights(request: HttpRequest) -> HttpResponse:
    form, period = _period_and_form(request)
    granularity = (form.cleaned_data.get("granularity") if form.is_bound else "") or "week"
    board = dashboard.build(request.workspace, period, granularity)
    return render(
        request,
        "insights/dashboard.html",
        {"form": form, "board": board, "can_import_outcomes": _can_import(request)},
    )


@require_POST
@workspace_required
def import_outcomes(request: HttpRequest) -> HttpResponse:
    """Owners and managers import a CSV of daily figures; the others are refused."""
    if not _can_import(request):
        return HttpResponseForbidden(_("Only owners and managers can import outcomes."))
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a CSV file to import."))
    elif upload.size > MAX_OUTCOME_FILE:
        messages.error(request, _("The file is larger than 5 MB."))
    else:
        try:
            content = upload.read().decode("utf-8-sig")
            counts = import_csv(request.workspace, content, upload.name)
        except UnicodeDecodeError:
            messages.error(request, _("The file is not UTF-8 text."))
        except OutcomeImportError as error:
            messages.error(request, str(error))
        else:
            summary = ", ".join(f"{metric}: {n}" for metric, n in counts.items())
            messages.success(request, _("Imported %(summary)s.") % {"summary": summary})
    return HttpResponseRedirect(reverse("insights") + "#outcomes")


@workspace_required
def table_download(request: HttpRequest, name: str, extension: str) -> HttpResponse:
    """One table as CSV, or every table as one XLSX workbook (name "all")."""
    form, period = _period_and_form(request)
    granularity = (form.cleaned_data.get("granularity") if form.is_bound else "") or "week"
    board = dashboard.build(request.workspace, period, granularity, chart_format=None)
    base = f"{slugify(request.workspace.name) or 'veille'}-{period.first_day}-{period.last_day}"
    if extension == "csv" and name in tables.TABLES:
        body = tables.to_csv(tables.TABLES[name](board)).encode("utf-8-sig")
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    elif extension == "xlsx" and name == "all":
        body = tables.to_xlsx({key: build(board) for key, build in tables.TABLES.items()})
        response = HttpResponse(body, content_type=XLSX)
    else:
        raise Http404("no such table")
    response["Content-Disposition"] = f'attachment; filename="{base}-{name}.{extension}"'
    return response


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
