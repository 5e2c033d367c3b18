"""Staff see the outbox: filter by state and kind, read a failure's error, resend."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import kinds, services
from .models import Notification, Preference

BODY_FIELDS = ("body_text", "body_html")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "email", "state", "attempts", "sent_at", "short_error"]
    list_filter = ["state", "kind", "delivery"]
    search_fields = ["email", "subject", "event_key"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    actions = ["resend"]
    readonly_fields = [f.name for f in Notification._meta.fields] + ["message_id", "hidden_body"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        # Account mail carries password-reset and confirmation links: staff never read them
        # (they could sign in as the person). Its bodies are not even on the page.
        fields = [f for f in super().get_fields(request, obj) if f != "hidden_body"]
        if obj is not None and kinds.is_confidential(obj.kind):
            return [f for f in fields if f not in BODY_FIELDS] + ["hidden_body"]
        return fields

    @admin.display(description=_("message"))
    def hidden_body(self, obj: Notification) -> str:
        return _("Hidden: account e-mails hold sign-in links that only their recipient may see.")

    @admin.display(description=_("error"))
    def short_error(self, obj: Notification) -> str:
        return obj.last_error[:80]

    @admin.action(description=_("Send again"))
    def resend(self, request, queryset):
        resent = refused = 0
        for notification in queryset:
            try:
                services.notification_resend(notification=notification)
            except services.NotificationError:
                refused += 1
            else:
                resent += 1
        if resent:
            self.message_user(
                request,
                ngettext("%d notification queued again.", "%d notifications queued again.", resent)
                % resent,
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%d notification was not sent again: only failed or sent ones can be "
                    "(and sent account e-mails cannot: the person asks for a new link).",
                    "%d notifications were not sent again: only failed or sent ones can be "
                    "(and sent account e-mails cannot: the person asks for a new link).",
                    refused,
                )
                % refused,
                messages.WARNING,
            )

    def get_actions(self, request):
        # The resend action needs no change permission: staff may always retry delivery.
        actions = super().get_actions(request)
        if not request.user.has_perm("notifications.view_notification"):
            actions.pop("resend", None)
        return actions


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "delivery", "updated_at"]
    list_filter = ["kind", "delivery"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
