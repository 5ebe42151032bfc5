from django.urls import path

from veille.alerts import views

urlpatterns = [
    path("", views.overview, name="alerts"),
    path("playbooks/new/", views.playbook_edit, name="alerts_playbook_new"),
    path("playbooks/<int:pk>/", views.playbook_edit, name="alerts_playbook"),
    path("playbooks/<int:pk>/delete/", views.playbook_delete, name="alerts_playbook_delete"),
    path("lists/new/", views.author_list_edit, name="alerts_list_new"),
    path("lists/<int:pk>/", views.author_list_edit, name="alerts_list"),
    path("lists/<int:pk>/delete/", views.author_list_delete, name="alerts_list_delete"),
    path("<int:pk>/resolve/", views.resolve, name="alerts_resolve"),
    path("replies/<int:pk>/<slug:decision>/", views.decide_reply, name="alerts_reply_decide"),
]
