from __future__ import annotations

import factory

from cte_portal.users.enums import Role
from cte_portal.users.models import User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    role = Role.STUDENT
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StudentUserFactory(UserFactory):
    role = Role.STUDENT


class CounselorUserFactory(UserFactory):
    role = Role.COUNSELOR


class StaffUserFactory(UserFactory):
    role = Role.STAFF


class EmployerUserFactory(UserFactory):
    role = Role.EMPLOYER
