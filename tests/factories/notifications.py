from __future__ import annotations

import factory

from cte_portal.notifications.enums import Delivery, State
from cte_portal.notifications.models import Notification
from tests.factories.users import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(lambda n: n.user.email)
    kind = "announcement"
    event_key = factory.Sequence(lambda n: f"event-{n}")
    subject = factory.Sequence(lambda n: f"Announcement {n}")
    body_text = "Hello"
    body_html = "<p>Hello</p>"
    delivery = Delivery.IMMEDIATE
    state = State.SENT
