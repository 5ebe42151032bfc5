"""JSON endpoints behind the live inbox: what changed, and who else is on a case.

Any member may read (viewers included); the workspace is the one of the session, and
a case of another workspace does not exist here (404).
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from veille.core.models import Case
from veille.inbox import live, presence
from veille.inbox.views import case_in_workspace
from veille.web.views import workspace_required


def _since(request: HttpRequest) -> int | None:
    try:
        return max(int(request.GET.get("since", "")), 0)
    except ValueError:
        return None


def _present(case: Case, request: HttpRequest) -> list[dict[str, str]]:
    return [
        {"user": person.username, "state": person.state}
        for person in presence.others_on(case, request.user)
    ]


@never_cache
@require_GET
@workspace_required
def inbox_changes(request: HttpRequest) -> JsonResponse:
    """?since=<event id>: the cases changed after it; without it, only the newest id."""
    since = _since(request)
    if since is None:
        return JsonResponse({"latest": live.latest_event_id(request.workspace), "cases": []})
    return JsonResponse(live.changes_since(request.workspace, since))


@never_cache
@require_GET
@workspace_required
def case_changes(request: HttpRequest, pk: int) -> JsonResponse:
    """The case's new state and history lines after ?since=, and who else has it open."""
    case = case_in_workspace(request, pk)
    since = _since(request)
    if since is None:
        answer = {"latest": live.latest_event_id(request.workspace), "cases": [], "events": []}
    else:
        answer = live.changes_since(request.workspace, since, case=case)
    answer["present"] = _present(case, request)
    return JsonResponse(answer)


@never_cache
@require_POST
@workspace_required
def case_presence(request: HttpRequest, pk: int) -> JsonResponse:
    """Heartbeat of an open case page: state=viewing|drafting, or gone when it closes."""
    case = case_in_workspace(request, pk)
    state = request.POST.get("state", "")
    if state == "gone":
        presence.leave(case, request.user)
    else:
        presence.heartbeat(case, request.user, state)
    return JsonResponse({"present": _present(case, request)})
