from django.urls import path

from veille.inbox import live_views, manage_views, reply_views, views

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("changes/", live_views.inbox_changes, name="inbox_changes"),
    path("bulk/", manage_views.bulk, name="inbox_bulk"),
    path("availability/", manage_views.availability, name="inbox_availability"),
    path("settings/", manage_views.inbox_settings, name="inbox_settings"),
    path("labels/", manage_views.labels, name="inbox_labels"),
    path("labels/<int:pk>/delete/", manage_views.label_delete, name="inbox_label_delete"),
    path("rules/", manage_views.rules, name="inbox_rules"),
    path("rules/<int:pk>/", manage_views.rule_edit, name="inbox_rule"),
    path("rules/<int:pk>/delete/", manage_views.rule_delete, name="inbox_rule_delete"),
    path("rules/<int:pk>/move/", manage_views.rule_move, name="inbox_rule_move"),
    path("views/", manage_views.view_save, name="inbox_view_save"),
    path("views/<int:pk>/delete/", manage_views.view_delete, name="inbox_view_delete"),
    path("replies/", reply_views.saved_replies, name="inbox_saved_replies"),
    path("replies/<int:pk>/", reply_views.saved_reply_edit, name="inbox_saved_reply"),
    path(
        "replies/<int:pk>/delete/",
        reply_views.saved_reply_delete,
        name="inbox_saved_reply_delete",
    ),
    path("<int:pk>/", views.case_detail, name="inbox_case"),
    path("<int:pk>/changes/", live_views.case_changes, name="inbox_case_changes"),
    path("<int:pk>/presence/", live_views.case_presence, name="inbox_case_presence"),
    path(
        "<int:pk>/<slug:action>/",
        views.case_action,
        name="inbox_case_action",
    ),
]
