from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "veille.insights"
    label = "insights"
