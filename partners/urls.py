"""The partners pages, under /partners/ (namespace ``partners``)."""

from __future__ import annotations

from django.urls import path

from .views import employer, public, staff

app_name = "partners"

urlpatterns = [
    # Anyone: sign up, confirm, accept an invitation, the mailing list
    path("join/", public.join, name="join"),
    path("join/sent/", public.join_sent, name="join_sent"),
    path("join/resend/", public.join_resend, name="join_resend"),
    path("join/confirm/<str:token>/", public.join_confirm, name="join_confirm"),
    path("join/done/", public.join_done, name="join_done"),
    path("invitation/<str:token>/", public.invitation_accept, name="invitation_accept"),
    path("mailing-list/", public.mailing_list, name="mailing_list"),
    path("mailing-list/sent/", public.mailing_list_sent, name="mailing_list_sent"),
    path(
        "mailing-list/confirm/<str:token>/",
        public.mailing_list_confirm,
        name="mailing_list_confirm",
    ),
    path(
        "mailing-list/unsubscribe/<str:token>/",
        public.mailing_list_unsubscribe,
        name="mailing_list_unsubscribe",
    ),
    # A partner contact (and CTE staff acting for a partner)
    path("dashboard/", employer.dashboard, name="dashboard"),
    path("<int:pk>/offers/", employer.offers, name="offers"),
    path("<int:pk>/invite/", employer.invite, name="invite"),
    path("agreements/<int:pk>/file/", employer.agreement_file, name="agreement_file"),
    path("contacts/<int:pk>/primary/", employer.contact_primary, name="contact_primary"),
    path("contacts/<int:pk>/remove/", employer.contact_remove, name="contact_remove"),
    # CTE staff
    path("", staff.partner_list, name="list"),
    path("export.csv", staff.export, name="export"),
    path("review/", staff.review, name="review"),
    path("not-contacted/", staff.not_contacted, name="not_contacted"),
    path("expiring/", staff.expiring, name="expiring"),
    path("<int:pk>/", staff.detail, name="detail"),
    path("<int:pk>/edit/", staff.edit, name="edit"),
    path("<int:pk>/status/", staff.status, name="status"),
    path("<int:pk>/interactions/new/", staff.interaction_new, name="interaction_new"),
    path("<int:pk>/agreements/new/", staff.agreement_new, name="agreement_new"),
    path("<int:pk>/seats/new/", staff.seat_new, name="seat_new"),
    path("contacts/<int:pk>/", staff.contact, name="contact"),
    path("contacts/<int:pk>/decide/", staff.contact_decide, name="contact_decide"),
    path("seats/<int:pk>/end/", staff.seat_end, name="seat_end"),
    path("interactions/<int:pk>/edit/", staff.interaction_edit, name="interaction_edit"),
    path("agreements/<int:pk>/edit/", staff.agreement_edit, name="agreement_edit"),
]
