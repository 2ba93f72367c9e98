from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("<int:account_id>/", views.account_detail, name="detail"),
    path("getting-started/", views.getting_started, name="getting_started"),
]
