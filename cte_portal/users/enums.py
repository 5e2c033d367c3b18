from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a person does in the portal. One role per account."""

    STUDENT = "student", _("Student")
    COUNSELOR = "counselor", _("Counselor")
    STAFF = "staff", _("CTE office staff")
    EMPLOYER = "employer", _("Employer / partner contact")
