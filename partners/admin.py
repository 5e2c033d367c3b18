"""The partners back office for CTE staff (Django admin). Day-to-day work happens on the
partner pages (/partners/); the admin is for corrections, and for what the pages do not edit
(ending an advisory term, removing a record entered by mistake). Status decisions are not
editable here: they go through the pages or the API, which notify the contacts."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    AdvisorySeat,
    Agreement,
    Contact,
    Interaction,
    MailingListSubscriber,
    Offer,
    Organization,
)


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["user", "is_primary", "job_title", "phone", "status", "background_check"]
    readonly_fields = ["user", "status"]
    show_change_link = True


class OfferInline(admin.TabularInline):
    model = Offer
    extra = 0
    fields = ["sector", "kind", "note"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "size", "status", "website_domain", "submitted_at"]
    list_filter = ["status", "kind", "size", "sectors"]
    search_fields = ["name", "normalized_name", "website_domain", "city"]
    filter_horizontal = ["sectors"]
    readonly_fields = [
        "status",
        "status_changed_at",
        "status_changed_by",
        "decision_reason",
        "submitted_at",
        "created_at",
        "updated_at",
    ]
    inlines = [ContactInline, OfferInline]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "is_primary", "status", "background_check"]
    list_filter = ["status", "background_check", "works_with_students", "join_request"]
    search_fields = ["user__email", "user__full_name", "organization__name"]
    list_select_related = ["user", "organization"]
    raw_id_fields = ["user", "organization", "invited_by", "decided_by"]
    readonly_fields = ["status", "signup_details", "confirmed_at", "decided_at", "created_at"]


@admin.register(AdvisorySeat)
class AdvisorySeatAdmin(admin.ModelAdmin):
    list_display = [
        "person_name",
        "organization",
        "sector",
        "body",
        "starts_on",
        "ends_on",
        "listed",
    ]
    list_filter = ["body", "sector", "listed"]
    search_fields = ["person_name", "organization__name"]
    list_select_related = ["organization", "sector"]
    raw_id_fields = ["organization", "contact"]


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ["occurred_on", "organization", "kind", "next_step", "next_step_due", "owner"]
    list_filter = ["kind"]
    search_fields = ["organization__name", "summary", "next_step"]
    date_hierarchy = "occurred_on"
    list_select_related = ["organization", "owner"]
    raw_id_fields = ["organization", "owner", "recorded_by"]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "kind", "starts_on", "ends_on"]
    list_filter = ["kind"]
    search_fields = ["title", "organization__name"]
    date_hierarchy = "ends_on"
    list_select_related = ["organization"]
    raw_id_fields = ["organization", "created_by"]


@admin.register(MailingListSubscriber)
class MailingListSubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "language", "status", "confirmed_at"]
    list_filter = ["status", "language"]
    search_fields = ["email", "full_name"]
    readonly_fields = [
        "status",
        "created_at",
        "confirmation_sent_at",
        "confirmed_at",
        "unsubscribed_at",
    ]
    fieldsets = [
        (None, {"fields": ["email", "full_name", "language"]}),
        (_("Consent"), {"fields": readonly_fields}),
    ]
