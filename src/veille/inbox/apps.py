from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "veille.inbox"
    label = "inbox"
    verbose_name = _("inbox")

    def ready(self) -> None:
        from veille.enrich.corrections import mentions_rescored
        from veille.inbox.cases import follow_rescored_mentions

        mentions_rescored.connect(follow_rescored_mentions, dispatch_uid="inbox-tonality")
