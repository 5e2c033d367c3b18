from __future__ import annotations

from typing import Any

from allauth.account.utils import has_verified_email
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cte_portal.users.models import User


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        user = authenticate(
            self.context.get("request"), username=attrs["email"], password=attrs["password"]
        )
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                _("Unable to sign in with that e-mail and password."), code="authorization"
            )
        # The same rule as the sign-in page (ACCOUNT_EMAIL_VERIFICATION = "mandatory"): an
        # address nobody has confirmed gets no token either.
        if not has_verified_email(user):
            raise serializers.ValidationError(
                _("Confirm your e-mail address first: follow the link we sent you."),
                code="unverified",
            )
        attrs["user"] = user
        return attrs


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class MeSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "full_name", "role", "preferred_language"]
        read_only_fields = fields
