from django.urls import path

from veille.inbox import live_views, reply_views, views

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("changes/", live_views.inbox_changes, name="inbox_changes"),
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
