from django.contrib.auth import views as auth_views
from django.urls import path

from veille.web import views

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
    path("", views.mention_list, name="mentions"),
]
