from django.urls import path

from veille.publish import views

urlpatterns = [
    path("case/<int:pk>/", views.publish_case_reply, name="publish_case"),
    path("accounts/", views.accounts, name="publish_accounts"),
    path("accounts/<int:pk>/delete/", views.account_delete, name="publish_account_delete"),
]
