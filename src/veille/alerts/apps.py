from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "veille.alerts"
    label = "alerts"
    verbose_name = _("crisis playbooks")

    def ready(self) -> None:
        from veille.alerts.approval import reply_check
        from veille.inbox.workflow import register_reply_check

        register_reply_check(reply_check)
