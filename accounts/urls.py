from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("export/", views.portfolio_export, name="portfolio_export"),
    path("<int:account_id>/", views.account_detail, name="detail"),
    path("<int:account_id>/notes/", views.add_note, name="add_note"),
    path("getting-started/", views.getting_started, name="getting_started"),
]
