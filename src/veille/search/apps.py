from __future__ import annotations

from django.apps import AppConfig
from django.db.backends.signals import connection_created


class SearchConfig(AppConfig):
    name = "veille.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from veille.search.index import install_functions

        connection_created.connect(install_functions, dispatch_uid="veille.search.functions")
