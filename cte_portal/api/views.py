from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from .me import me_serializer_class
from .serializers import TokenRequestSerializer, TokenSerializer


class ApiRootView(APIView):
    """The API's front door: links to its parts. Open to everyone."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        return Response(
            {
                "token": reverse("api:token", request=request),
                "me": reverse("api:me", request=request),
                "schema": reverse("api:schema", request=request),
                "docs": reverse("api:docs", request=request),
            }
        )


class ObtainTokenView(APIView):
    """Exchange an e-mail and password for an API token (``Authorization: Token <key>``)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list[Any] = []
    # Slows password guessing; the rate is REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']['token'].
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenSerializer},
        auth=[],
        summary="Obtain an API token",
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key}, status=status.HTTP_200_OK)


class MeView(generics.GenericAPIView):
    """The signed-in person: who they are, their role, and the sections the domain apps add
    for them (``student``: a student's own record summary; ``null`` for everyone else).
    See ``cte_portal/api/me.py``."""

    pagination_class = None
    filter_backends: list[Any] = []

    def get_serializer_class(self) -> type:
        return me_serializer_class()

    @extend_schema(summary="The signed-in user")
    def get(self, request: Request) -> Response:
        return Response(self.get_serializer(request.user).data)
