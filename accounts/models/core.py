"""People and the customer accounts they work with: the base of Customer 360."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from core.roles import STAFF_ROLES, Role


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("%(zone)s is not a known time zone."), params={"zone": value}
        ) from None


class CsplatformUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in. Customers are portal users tied to one Contact."""

    Role = Role

    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    contact = models.OneToOneField(
        "accounts.Contact",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="portal_user",
        help_text=_("Required for customers: the contact (and so the account) they act for."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("Times are shown in this zone, for example Europe/Berlin."),
    )
    #: Blank: no saved choice, so the language cookie, then the browser's languages,
    #: then the installation's default decide (see core.middleware.UserLanguageMiddleware).
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Pages and e-mails are shown in this language."),
    )

    objects = CsplatformUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.CUSTOMER) | Q(contact__isnull=False),
                name="customer_user_has_contact",
                violation_error_message=_("A customer user must be linked to a contact."),
            ),
        ]
        indexes = [
            # Sign-in from the vendor's product looks a person up by address, any case.
            models.Index(Upper("email"), name="user_email_upper_idx"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        if self.role == Role.CUSTOMER and self.contact_id is None:
            raise ValidationError({"contact": _("A customer user must be linked to a contact.")})

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def language_or_default(self) -> str:
        """The language this person reads e-mails and notifications in."""
        return self.language or settings.LANGUAGE_CODE

    @property
    def account_id(self) -> int | None:
        """The account a customer acts for; None for vendor staff."""
        if self.role != Role.CUSTOMER or self.contact is None:
            return None
        return self.contact.account_id


class AccountQuerySet(models.QuerySet):
    def visible_to(self, user) -> AccountQuerySet:
        """Staff see every account; a customer only the account of their own contact."""
        if not user.is_authenticated:
            return self.none()
        if user.role in STAFF_ROLES:
            return self
        if user.role == Role.CUSTOMER and user.account_id is not None:
            return self.filter(pk=user.account_id)
        return self.none()


class Account(models.Model):
    class Lifecycle(models.TextChoices):
        TRIAL = "trial", _("Trial")
        ONBOARDING = "onboarding", _("Onboarding")
        ADOPTION = "adoption", _("Adoption")
        RENEWAL = "renewal", _("Up for renewal")
        CHURNED = "churned", _("Churned")

    name = models.CharField(_("name"), max_length=200)
    external_id = models.CharField(
        _("external ID"),
        max_length=100,
        unique=True,
        help_text=_("The account's ID in your CRM or billing system; imports match on it."),
    )
    domain = models.CharField(_("domain"), max_length=200, blank=True)
    plan = models.CharField(_("plan"), max_length=60, blank=True)
    segment = models.CharField(_("segment"), max_length=60, blank=True)
    arr = models.DecimalField(
        _("ARR"),
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Annual recurring revenue."),
    )
    licensed_seats = models.PositiveIntegerField(_("licensed seats"), default=0)
    lifecycle_stage = models.CharField(
        _("lifecycle stage"),
        max_length=20,
        choices=Lifecycle.choices,
        default=Lifecycle.ONBOARDING,
    )
    csm_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("CSM owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="book",
        limit_choices_to={"role": Role.CSM},
    )
    #: Off by default: people join only when invited. On, anyone with a verified address
    #: at one of the account's verified domains may join it as a contact.
    self_signup = models.BooleanField(
        _("sign-up by company domain"),
        default=False,
        db_default=False,
        help_text=_("People with an address at a verified domain of this account may join it."),
    )
    signup_needs_approval = models.BooleanField(
        _("approve sign-ups first"),
        default=True,
        db_default=True,
        help_text=_("A CSM approves each person who signs up before they can sign in."),
    )
    started_on = models.DateField(_("contract start"), null=True, blank=True)
    renews_on = models.DateField(_("renewal date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AccountQuerySet.as_manager()

    #: What an import, the demo seed or the API may set on an account besides its key.
    PROFILE_FIELDS = (
        "name",
        "domain",
        "plan",
        "segment",
        "arr",
        "licensed_seats",
        "lifecycle_stage",
        "csm_owner",
        "started_on",
        "renews_on",
    )

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(arr__gte=0), name="account_arr_not_negative"),
            models.CheckConstraint(
                condition=Q(renews_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(renews_on__gte=models.F("started_on")),
                name="account_renews_after_start",
                violation_error_message=_("The renewal date cannot be before the start."),
            ),
        ]
        indexes = [
            # Portfolio: a CSM's own book, listed by name.
            models.Index(fields=["csm_owner", "name"], name="account_book_idx"),
            # Portfolio renewal-window filter and "renews within 90 days" demand counts.
            models.Index(fields=["renews_on"], name="account_renewal_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class ContactQuerySet(models.QuerySet):
    def visible_to(self, user) -> ContactQuerySet:
        """Staff see every contact; a customer only themself."""
        if not user.is_authenticated:
            return self.none()
        if user.role in STAFF_ROLES:
            return self
        if user.role == Role.CUSTOMER and user.contact_id is not None:
            return self.filter(pk=user.contact_id)
        return self.none()


class Contact(models.Model):
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    title = models.CharField(_("title"), max_length=120, blank=True)
    #: The product's own ID for this person (Segment's ``userId``), set by the tracking
    #: API's identify and group calls, so that events naming only the user ID find them.
    tracking_user_id = models.CharField(
        _("tracking user ID"), max_length=200, blank=True, default="", db_default=""
    )
    is_champion = models.BooleanField(
        _("champion"), default=False, help_text=_("Advocates for the product inside the account.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name"]
        constraints = [
            # Imports and the tracking API map an e-mail to one contact per account.
            models.UniqueConstraint(
                fields=["account", "email"],
                condition=~Q(email=""),
                name="contact_email_unique_per_account",
            ),
            # One contact per user ID and account. Led by the user ID, so that it also
            # finds the accounts of a user ID that an event names alone.
            models.UniqueConstraint(
                fields=["tracking_user_id", "account"],
                condition=~Q(tracking_user_id=""),
                name="contact_user_id_unique_per_account",
            ),
        ]
        indexes = [
            # Sign-in from the vendor's product finds a person's contacts by address
            # whatever its case (email__iexact, which compares UPPER()).
            models.Index(Upper("email"), name="contact_email_upper_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.account})"
