"""Saved replies: a workspace's answer templates, filled in for one case.

Only the placeholders in VARIABLES are replaced. Anything else between braces ("{name}",
"{0}", "{author.__class__}", a lone "{") stays exactly as written: a template is data
typed by a person, and filling it in must never fail or reach into Python objects.
That is why this is a plain substitution and not str.format.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.contrib.auth.models import AbstractBaseUser

from veille.core.models import Case, Mention
from veille.inbox.models import SavedReply
from veille.web.templatetags.veille import safe_http_url

VARIABLES = ("author", "brand", "agent", "url")
_PLACEHOLDER = re.compile(r"\{(" + "|".join(VARIABLES) + r")\}")


def fill(body: str, values: Mapping[str, str]) -> str:
    """The body with each known placeholder replaced; unknown ones are left as written."""
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), body)


def author_name(mention: Mention) -> str:
    author = mention.author
    if author is None:
        return ""
    return author.display_name or author.handle or ""


def values_for(case: Case, message: Mention, agent: AbstractBaseUser) -> dict[str, str]:
    """The variables of a case: who wrote the message to answer, the brand, the agent."""
    full_name = getattr(agent, "get_full_name", lambda: "")()
    return {
        "author": author_name(message),
        "brand": case.workspace.name,
        "agent": full_name or agent.get_username(),
        "url": safe_http_url(message.url) or "",
    }


def for_case(case: Case, message: Mention, agent: AbstractBaseUser) -> list[dict[str, str]]:
    """Every saved reply of the case's workspace, filled in; the message's language first."""
    values = values_for(case, message, agent)
    language = (message.language or case.workspace.default_language or "")[:2]
    replies = SavedReply.objects.filter(workspace_id=case.workspace_id)
    ordered = sorted(replies, key=lambda reply: (reply.language != language, reply.name))
    return [
        {
            "id": str(reply.pk),
            "name": reply.name,
            "language": reply.language,
            "text": fill(reply.body, values),
        }
        for reply in ordered
    ]
