"""Who may do what with student records: named predicates (see cte_portal/users/permissions)."""

from __future__ import annotations

from typing import Any

from cte_portal.users.permissions import is_counselor, is_cte_staff, is_student

from .models import Enrollment, StudentProfile


def is_advisor(user: Any) -> bool:
    """Counselors and CTE staff: the people who open student records and decide requests."""
    return is_counselor(user) or is_cte_staff(user)


def serves_student(user: Any, student: StudentProfile) -> bool:
    if is_cte_staff(user):
        return True
    return is_counselor(user) and student.school.counselors.filter(user=user).exists()


def is_own_record(user: Any, student: StudentProfile) -> bool:
    return is_student(user) and student.user_id == user.pk


def can_view_student(user: Any, student: StudentProfile) -> bool:
    return is_own_record(user, student) or serves_student(user, student)


def can_decide(user: Any, enrollment: Enrollment) -> bool:
    return serves_student(user, enrollment.student)


def can_withdraw(user: Any, enrollment: Enrollment) -> bool:
    return is_own_record(user, enrollment.student) or serves_student(user, enrollment.student)
