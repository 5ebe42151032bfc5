from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "veille.insights"
    label = "insights"

    def ready(self) -> None:
        from veille.insights.rollups import connect_signals

        connect_signals()
