"""Staff see the outbox: filter by state and kind, read a failure's error, resend."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "email", "state", "attempts", "sent_at", "short_error"]
    list_filter = ["state", "kind", "delivery"]
    search_fields = ["email", "subject", "event_key"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    actions = ["resend"]
    readonly_fields = [f.name for f in Notification._meta.fields] + ["message_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("error"))
    def short_error(self, obj: Notification) -> str:
        return obj.last_error[:80]

    @admin.action(description=_("Send again"))
    def resend(self, request, queryset):
        count = 0
        for notification in queryset:
            services.notification_resend(notification=notification)
            count += 1
        self.message_user(
            request,
            ngettext("%d notification queued again.", "%d notifications queued again.", count)
            % count,
            messages.SUCCESS,
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
