from django.contrib import admin
from django.urls import include, path

from veille.api.routes import api
from veille.web.admin_site import restrict_admin_to_owners

restrict_admin_to_owners(admin.site)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("inbox/", include("veille.inbox.urls")),
    path("insights/", include("veille.insights.urls")),
    path("alerts/", include("veille.alerts.urls")),
    path("publish/", include("veille.publish.urls")),
    path("api/", api.urls),
    path("", include("veille.web.urls")),
]
