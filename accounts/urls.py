from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("export/", views.portfolio_export, name="portfolio_export"),
    path("bulk/", views.portfolio_bulk, name="portfolio_bulk"),
    path("views/", views.portfolio_views, name="portfolio_views"),
    path("views/save/", views.portfolio_view_save, name="portfolio_view_save"),
    path("views/default/", views.portfolio_view_default, name="portfolio_view_default"),
    path("views/<int:view_id>/", views.portfolio_view_update, name="portfolio_view_update"),
    path("views/<int:view_id>/delete/", views.portfolio_view_delete, name="portfolio_view_delete"),
    path("<int:account_id>/", views.account_detail, name="detail"),
    path("<int:account_id>/timeline/", views.account_timeline, name="timeline"),
    path("<int:account_id>/notes/", views.add_note, name="add_note"),
    path("<int:account_id>/renewals/", views.add_renewal, name="add_renewal"),
    path("contacts/<int:contact_id>/export/", views.contact_export, name="contact_export"),
    path("contacts/<int:contact_id>/erase/", views.contact_erase, name="contact_erase"),
    path("<int:account_id>/invite/", views.contacts_invite, name="contacts_invite"),
    path(
        "invitations/<int:invitation_id>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invitations/<int:invitation_id>/approve/", views.signup_approve, name="signup_approve"),
    path("getting-started/", views.getting_started, name="getting_started"),
    path("sso/", views.sso_settings, name="sso_settings"),
    path("sso/rotate/", views.sso_rotate, name="sso_rotate"),
    path("sso/docs/", views.sso_docs, name="sso_docs"),
]
