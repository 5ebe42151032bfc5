from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "veille.web"
    label = "web"
