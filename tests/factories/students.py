from __future__ import annotations

import factory

from students.enums import CourseRecordStatus, EnrollmentStatus
from students.models import (
    AdvisingNote,
    CounselorProfile,
    CourseRecord,
    CredentialAward,
    Enrollment,
    StudentProfile,
)
from tests.factories.pathways import (
    CourseFactory,
    CredentialFactory,
    OfferingFactory,
    SchoolFactory,
)
from tests.factories.users import CounselorUserFactory, StudentUserFactory


class StudentProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudentProfile

    user = factory.SubFactory(StudentUserFactory)
    school = factory.SubFactory(SchoolFactory)
    grade = 9
    cohort = 2030
    district_id = factory.Sequence(lambda n: f"D{n:08d}")
    gender = "female"
    race_ethnicity = "hispanic"
    english_learner = True
    guardian_name = "Pat Guardian"
    guardian_email = factory.Sequence(lambda n: f"guardian{n}@example.org")


class CounselorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CounselorProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(CounselorUserFactory)

    @factory.post_generation
    def schools(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.schools.set(extracted)


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    student = factory.SubFactory(StudentProfileFactory)
    offering = factory.SubFactory(OfferingFactory)
    status = EnrollmentStatus.REQUESTED


class CourseRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseRecord

    student = factory.SubFactory(StudentProfileFactory)
    course = factory.SubFactory(CourseFactory)
    school_year = 2024
    status = CourseRecordStatus.COMPLETED
    mark = "A"
    credits_earned = 1


class CredentialAwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CredentialAward

    student = factory.SubFactory(StudentProfileFactory)
    credential = factory.SubFactory(CredentialFactory)
    awarded_on = factory.Faker("date_this_year")
    evidence = "Certificate 12345"


class AdvisingNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdvisingNote

    student = factory.SubFactory(StudentProfileFactory)
    body = "Talked about a change of pathway. SECRET-NOTE"
