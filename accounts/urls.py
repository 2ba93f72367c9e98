from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("export/", views.portfolio_export, name="portfolio_export"),
    path("<int:account_id>/", views.account_detail, name="detail"),
    path("<int:account_id>/notes/", views.add_note, name="add_note"),
    path("<int:account_id>/renewals/", views.add_renewal, name="add_renewal"),
    path("contacts/<int:contact_id>/export/", views.contact_export, name="contact_export"),
    path("contacts/<int:contact_id>/erase/", views.contact_erase, name="contact_erase"),
    path("getting-started/", views.getting_started, name="getting_started"),
]
