"""The four roles of csplatform. Kept apart from the models so that the access layer
can name roles without importing any model."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    ADMIN = "admin", pgettext_lazy("role", "Admin")
    CSM = "csm", _("Customer success manager")
    PM = "pm", _("Product manager")
    CUSTOMER = "customer", _("Customer")


#: People who work at the vendor: they may see every account.
STAFF_ROLES = frozenset({Role.ADMIN, Role.CSM, Role.PM})
#: People who decide the product: triage, the roadmap, product-risk flags.
PRODUCT_ROLES = frozenset({Role.PM, Role.ADMIN})
ALL_ROLES = frozenset(Role)
