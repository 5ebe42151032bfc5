from django.urls import path

from veille.inbox import views

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.case_detail, name="inbox_case"),
    path(
        "<int:pk>/<slug:action>/",
        views.case_action,
        name="inbox_case_action",
    ),
]
