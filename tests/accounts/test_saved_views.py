"""Saved portfolio views: save, open, share, rename, delete, default; who may."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts import services
from accounts.models import PortfolioDefault, PortfolioView
from core.roles import Role
from tests.accounts.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db
PORTFOLIO = reverse("accounts:portfolio")


def test_saving_keeps_the_portfolio_parameters_and_known_columns_only(csm):
    view = services.portfolio_view_save(
        actor=csm,
        name="  Enterprise   renewals ",
        query={"segment": "Enterprise", "sort": "arr", "page": "3", "evil": "x", "plan": ""},
        columns=["renewal", "arr"],
    )

    assert view.name == "Enterprise renewals"
    assert view.query == {"segment": "Enterprise", "sort": "arr"}
    assert view.columns == ["arr", "renewal"]  # in the table's order


def test_a_name_is_unique_per_owner_and_unknown_columns_are_refused(csm):
    services.portfolio_view_save(actor=csm, name="Mine", query={})
    with pytest.raises(ValidationError):
        services.portfolio_view_save(actor=csm, name="Mine", query={})
    with pytest.raises(ValidationError):
        services.portfolio_view_save(actor=csm, name="Other", query={}, columns=["password"])
    with pytest.raises(ValidationError):
        services.portfolio_view_save(actor=csm, name="   ", query={})
    # Another person may use the same name.
    services.portfolio_view_save(actor=UserFactory(role=Role.CSM), name="Mine", query={})


def test_customers_keep_no_views(customer_a):
    with pytest.raises(PermissionDenied):
        services.portfolio_view_save(actor=customer_a, name="Mine", query={})


def test_only_the_owner_renames_or_deletes_and_colleagues_see_shared_views_only(csm):
    colleague = UserFactory(role=Role.CSM)
    private = services.portfolio_view_save(actor=csm, name="Private", query={})
    shared = services.portfolio_view_save(actor=csm, name="Team", query={}, shared=True)

    assert list(PortfolioView.objects.visible_to(colleague)) == [shared]
    with pytest.raises(PermissionDenied):
        services.portfolio_view_update(actor=colleague, view=shared, name="Mine now", shared=True)
    with pytest.raises(PermissionDenied):
        services.portfolio_view_delete(actor=colleague, view=shared)
    with pytest.raises(PermissionDenied):
        services.portfolio_view_set_default(actor=colleague, view=private)


def test_unsharing_drops_it_as_a_colleagues_default(csm):
    colleague = UserFactory(role=Role.CSM)
    shared = services.portfolio_view_save(actor=csm, name="Team", query={}, shared=True)
    services.portfolio_view_set_default(actor=colleague, view=shared)
    services.portfolio_view_set_default(actor=csm, view=shared)

    services.portfolio_view_update(actor=csm, view=shared, name="Team", shared=False)

    assert not PortfolioDefault.objects.filter(user=colleague).exists()
    assert PortfolioDefault.objects.filter(user=csm, view=shared).exists()


def test_opening_a_view_applies_its_filters_and_columns(client_for, csm):
    AccountFactory(name="Big Co", segment="Enterprise", csm_owner=csm)
    AccountFactory(name="Small Co", segment="SMB", csm_owner=csm)
    view = services.portfolio_view_save(
        actor=csm, name="Enterprise", query={"segment": "Enterprise"}, columns=["arr"]
    )

    response = client_for(csm).get(PORTFOLIO, {"view": view.pk})

    html = response.content.decode()
    assert [a.name for a in response.context["page"]] == ["Big Co"]
    assert response.context["shown"] == {"arr"}
    assert ">Seats<" not in html


def test_the_link_overrides_the_view_and_a_foreign_private_view_is_404(client_for, csm):
    AccountFactory(name="Big Co", segment="Enterprise", csm_owner=csm)
    AccountFactory(name="Small Co", segment="SMB", csm_owner=csm)
    view = services.portfolio_view_save(actor=csm, name="E", query={"segment": "Enterprise"})
    client = client_for(csm)

    response = client.get(PORTFOLIO, {"view": view.pk, "segment": "SMB"})
    other = client_for(UserFactory(role=Role.CSM)).get(PORTFOLIO, {"view": view.pk})

    assert [a.name for a in response.context["page"]] == ["Small Co"]
    assert other.status_code == 404


def test_the_default_view_opens_the_portfolio(client_for, csm):
    view = services.portfolio_view_save(
        actor=csm, name="E", query={"segment": "Enterprise"}, make_default=True
    )

    response = client_for(csm).get(PORTFOLIO)

    assert response.status_code == 302
    assert response["Location"] == f"{PORTFOLIO}?view={view.pk}"


def test_the_pages_save_rename_make_default_and_delete(client_for, csm):
    client = client_for(csm)

    saved = client.post(
        reverse("accounts:portfolio_view_save"),
        {
            "name": "Renewing",
            "query": "renewal=90&sort=renewal&page=2",
            "columns": ["csm", "renewal"],
        },
    )
    view = PortfolioView.objects.get(owner=csm)
    renamed = client.post(
        reverse("accounts:portfolio_view_update", args=[view.pk]),
        {f"view-{view.pk}-name": "Renewing soon", f"view-{view.pk}-shared": "on"},
    )
    defaulted = client.post(reverse("accounts:portfolio_view_default"), {"view": view.pk})
    listing = client.get(reverse("accounts:portfolio_views"))

    assert saved.status_code == 302
    assert saved["Location"].endswith(f"?view={view.pk}")
    assert view.query == {"renewal": "90", "sort": "renewal"}
    view.refresh_from_db()
    assert (view.name, view.shared) == ("Renewing soon", True)
    assert renamed.status_code == defaulted.status_code == 302
    assert PortfolioDefault.objects.get(user=csm).view == view
    assert "Renewing soon" in listing.content.decode()

    client.post(reverse("accounts:portfolio_view_delete", args=[view.pk]))
    assert not PortfolioView.objects.exists()


def test_a_duplicate_name_from_the_page_says_why(client_for, csm):
    services.portfolio_view_save(actor=csm, name="Mine", query={})

    response = client_for(csm).post(
        reverse("accounts:portfolio_view_save"), {"name": "Mine", "query": ""}, follow=True
    )

    assert "You already have a view with this name." in response.content.decode()
    assert PortfolioView.objects.count() == 1


def test_a_colleague_cannot_delete_through_the_page(client_for, csm):
    view = services.portfolio_view_save(actor=csm, name="Team", query={}, shared=True)

    response = client_for(UserFactory(role=Role.CSM)).post(
        reverse("accounts:portfolio_view_delete", args=[view.pk])
    )

    assert response.status_code == 403
    assert PortfolioView.objects.filter(pk=view.pk).exists()
