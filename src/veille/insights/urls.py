from django.urls import path

from veille.insights import views

urlpatterns = [
    path("", views.insights, name="insights"),
    path("graph.gexf", views.graph_download, name="insights_graph"),
    path("outcomes/", views.import_outcomes, name="insights_outcomes"),
    path("tables/<slug:name>.<slug:extension>", views.table_download, name="insights_table"),
]
