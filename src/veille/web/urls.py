from django.contrib.auth import views as auth_views
from django.urls import path

from veille.web import correction_views, views, watch_views

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="veille/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("workspace/switch/", views.switch_workspace, name="switch_workspace"),
    path("watches/", watch_views.watch_list, name="watches"),
    path("watches/new/", watch_views.watch_create, name="watch_create"),
    path("watches/check/", watch_views.watch_check, name="watch_check"),
    path("watches/<int:pk>/", watch_views.watch_edit, name="watch_edit"),
    path(
        "mentions/<int:pk>/correction/",
        correction_views.correct_mention,
        name="mention_correct",
    ),
    path("", views.mention_list, name="mentions"),
]
