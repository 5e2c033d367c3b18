"""The roster import's pages, command and task: staff upload a zip and watch its run; the
command imports a zip or a folder; a real worker runs a queued import."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from students.models import ImportRun, StudentProfile
from students.roster.enums import ImportPhase, ImportState
from students.roster.report import Report
from tests.factories.pathways import CourseFactory
from tests.students.oneroster import CTE_CODE, district
from tests.students.roster_fixtures import cte_course, export, snapshot
from tests.support.waiting import wait_for

__all__ = ["cte_course", "export"]  # fixtures

pytestmark = pytest.mark.django_db
UPLOAD = "/roster/"


def zip_upload(export, name: str = "export.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, export.zip_bytes(), content_type="application/zip")


def failed_run(**fields) -> ImportRun:
    report = Report()
    report.problem("users.csv", 4, "grades: 9th is not a grade (use 01-13, KG, PK, ...).")
    report.problem("enrollments.csv", 7, "No class with sourcedId cls-x.")
    return ImportRun.objects.create(
        source_name="bad.zip", state=ImportState.FAILED, report=report.to_dict(), **fields
    )


# --- Who may use the pages ----------------------------------------------------------------


@pytest.mark.parametrize("role", ["student", "counselor", "employer"])
def test_roster_pages_refuse_everyone_but_staff(client_for, request, role, export):
    run = failed_run()
    client = client_for(request.getfixturevalue(role))

    assert client.get(UPLOAD).status_code == 403
    assert client.get(f"/roster/{run.pk}/").status_code == 403
    assert client.post(UPLOAD, {"export": zip_upload(export)}).status_code == 403
    assert ImportRun.objects.count() == 1


def test_roster_pages_send_anonymous_to_sign_in(client, export):
    run = failed_run()

    for response in (client.get(UPLOAD), client.get(f"/roster/{run.pk}/")):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert client.post(UPLOAD, {"export": zip_upload(export)}).status_code == 302
    assert ImportRun.objects.count() == 1


def test_unknown_run_is_404(client_for, staff):
    assert client_for(staff).get("/roster/999999/").status_code == 404


# --- The upload page ---------------------------------------------------------------------


def test_upload_page_explains_and_lists_no_run_yet(client_for, staff, settings):
    settings.STUDENTS_ROSTER_COUNSELOR_ROLES = ("administrator", "teacher")

    page = client_for(staff).get(UPLOAD).content.decode()

    assert "Users with the role administrator, teacher become counselors" in page
    assert "No roster import yet." in page
    assert 'enctype="multipart/form-data"' in page


def test_upload_page_lists_recent_runs(client_for, staff):
    run = failed_run(started_by=staff)

    page = client_for(staff).get(UPLOAD).content.decode()

    assert f'href="/roster/{run.pk}/"' in page
    assert "Sol Staff" in page and "Not imported" in page


def _form_error(response) -> str:
    assert response.status_code == 200
    return " ".join(response.context["form"].errors["export"])


def test_upload_that_is_not_a_zip_is_a_form_error(client_for, staff):
    upload = SimpleUploadedFile("users.csv", b"sourcedId,role\n", content_type="text/csv")

    response = client_for(staff).post(UPLOAD, {"export": upload})

    assert _form_error(response) == (
        "This is not a zip file. Upload the OneRoster export as a .zip."
    )
    assert ImportRun.objects.count() == 0


def test_upload_too_big_is_a_form_error(client_for, staff, export, settings):
    settings.STUDENTS_ROSTER_MAX_UPLOAD_BYTES = 1000

    response = client_for(staff).post(UPLOAD, {"export": zip_upload(export)})

    assert re.fullmatch(
        r"The file is [\d.]+\xa0KB; the largest accepted is 1000\xa0bytes\.", _form_error(response)
    )
    assert ImportRun.objects.count() == 0


def test_upload_unzipping_too_big_is_a_form_error(client_for, staff, export, settings):
    settings.STUDENTS_ROSTER_MAX_UNZIPPED_BYTES = 2000

    response = client_for(staff).post(UPLOAD, {"export": zip_upload(export)})

    assert _form_error(response).startswith("Unzipped, the export is ")
    assert ImportRun.objects.count() == 0


def test_upload_without_users_csv_is_a_form_error(client_for, staff, export):
    export.absent = {"users.csv"}

    response = client_for(staff).post(UPLOAD, {"export": zip_upload(export)})

    assert _form_error(response) == "The zip has no users.csv: is it a OneRoster export?"
    assert "Please fix these and send the form again" in response.content.decode()
    assert ImportRun.objects.count() == 0


def test_upload_without_a_file_is_a_form_error(client_for, staff):
    response = client_for(staff).post(UPLOAD, {})

    assert _form_error(response) == "This field is required."


def test_upload_runs_the_import_and_shows_the_result(
    client_for, staff, cte_course, export, django_capture_on_commit_callbacks
):
    client = client_for(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD, {"export": zip_upload(export, "fall-roster.zip")})

    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/roster/{run.pk}/"
    assert (run.state, run.started_by, run.source_name) == (
        ImportState.DONE,
        staff,
        "fall-roster.zip",
    )
    assert (run.rows_done, run.rows_total) == (43, 43)  # every row of every file read
    assert not run.file  # the export (student records) is not kept once imported
    assert StudentProfile.objects.count() == 6
    page = client.get(response["Location"]).content.decode()
    assert "The export is imported." in page
    assert "data-refresh-every" not in page
    assert re.search(r"<th scope=\"row\"[^>]*>users.csv</th>(\s*<td[^>]*>\d+</td>){6}", page)
    assert "2 rows: role teacher is not imported" in page


def test_upload_with_bad_rows_imports_nothing_and_lists_them(
    client_for, staff, cte_course, export, django_capture_on_commit_callbacks
):
    export.row("users.csv", "stu-2")["grades"] = "9th"
    before = snapshot()
    client = client_for(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD, {"export": zip_upload(export)})

    run = ImportRun.objects.get()
    assert run.state == ImportState.FAILED
    assert snapshot() == before
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was imported." in page and "1 bad row: fix it" in page
    assert re.search(r">users.csv</th>\s*<td[^>]*>4</td>\s*<td[^>]*>grades: 9th is not", page)


# --- The run page ------------------------------------------------------------------------


def test_running_import_shows_a_progress_bar_and_refreshes_itself(client_for, staff):
    run = ImportRun.objects.create(
        source_name="big.zip",
        state=ImportState.RUNNING,
        phase=ImportPhase.CHECKING,
        rows_total=1200,
        rows_done=300,
    )

    page = client_for(staff).get(f"/roster/{run.pk}/").content.decode()

    assert '<progress id="import-progress" class="portal-progress" max="1200" value="300">' in page
    assert "300 of 1200 rows checked" in page
    assert 'data-refresh-every="3"' in page
    assert '<script src="/static/js/roster-run.js"></script>' in page
    assert f'href="/roster/{run.pk}/">Refresh this page' in page  # without JavaScript
    assert not re.search(r"<script>|<script [^>]*>[^<]", page)  # no inline script
    assert not re.search(r" on[a-z]+=", page)


def test_saving_import_shows_a_bar_without_a_value(client_for, staff):
    run = ImportRun.objects.create(
        source_name="big.zip", state=ImportState.RUNNING, phase=ImportPhase.SAVING, rows_total=9
    )

    page = client_for(staff).get(f"/roster/{run.pk}/").content.decode()

    assert '<progress id="import-progress" class="portal-progress">' in page
    assert "Saving" in page


def test_queued_import_says_it_waits_for_a_worker(client_for, staff):
    run = ImportRun.objects.create(source_name="new.zip")

    page = client_for(staff).get(f"/roster/{run.pk}/").content.decode()

    assert "Waiting for a worker to start the import." in page


def test_failed_run_lists_every_bad_row_page_by_page(client_for, staff):
    report = Report()
    for line in range(2, 152):
        report.problem("users.csv", line, f"bad row {line}")
    run = ImportRun.objects.create(
        source_name="x.zip", state=ImportState.FAILED, report=report.to_dict()
    )
    client = client_for(staff)

    first = client.get(f"/roster/{run.pk}/").content.decode()
    second = client.get(f"/roster/{run.pk}/?page=2").content.decode()

    assert "150 bad rows" in first
    assert first.count("bad row ") == 100 and second.count("bad row ") == 50
    assert ">bad row 151<" in second and "Page 2 of 2" in second


def test_run_that_stopped_says_why(client_for, staff):
    run = ImportRun.objects.create(
        source_name="x.zip", state=ImportState.FAILED, error="The task queue is not reachable."
    )

    page = client_for(staff).get(f"/roster/{run.pk}/").content.decode()

    assert "Nothing was imported." in page and "The task queue is not reachable." in page


def test_run_page_query_count_is_bounded(client_for, staff, django_assert_max_num_queries):
    run = failed_run(started_by=staff)
    client = client_for(staff)
    client.get(f"/roster/{run.pk}/")
    with django_assert_max_num_queries(4):  # session, user, run with its starter, unread count
        client.get(f"/roster/{run.pk}/")


@pytest.mark.parametrize("n", (1, 20))
def test_upload_page_query_count(query_budget, staff, n):
    def grow(k: int) -> None:
        for _ in range(k):
            failed_run(started_by=staff)

    # session, user, unread notifications, the recent runs with who started them
    query_budget(UPLOAD, max_queries=4, grow=grow, user=staff)


# --- The command ---------------------------------------------------------------------------


def test_command_imports_a_zip_and_prints_the_report(cte_course, export, tmp_path):
    out = io.StringIO()

    call_command("import_oneroster", str(export.zip(tmp_path / "roster.zip")), stdout=out)

    assert StudentProfile.objects.count() == 6
    run = ImportRun.objects.get()
    assert (run.state, run.source_name) == (ImportState.DONE, str(tmp_path / "roster.zip"))
    text = out.getvalue()
    assert re.search(r"users.csv\s+7\s+0\s+0\s+0\s+2\s+0", text)
    assert "skipped 2: role teacher is not imported" in text
    assert f"Imported (run {run.pk})." in text


def test_command_imports_a_folder(cte_course, export, tmp_path):
    call_command("import_oneroster", str(export.write(tmp_path / "roster")), stdout=io.StringIO())

    assert StudentProfile.objects.count() == 6


def test_command_with_bad_rows_fails_and_writes_nothing(cte_course, export, tmp_path):
    export.row("users.csv", "stu-2")["grades"] = "9th"
    err = io.StringIO()

    with pytest.raises(CommandError, match="1 bad rows: nothing imported"):
        call_command(
            "import_oneroster", str(export.write(tmp_path / "r")), stdout=io.StringIO(), stderr=err
        )

    assert "users.csv:4: grades: 9th is not a grade" in err.getvalue()
    assert StudentProfile.objects.count() == 0
    assert ImportRun.objects.get().state == ImportState.FAILED


def test_command_dry_run_writes_nothing(cte_course, export, tmp_path):
    out = io.StringIO()

    call_command("import_oneroster", str(export.write(tmp_path / "r")), "--dry-run", stdout=out)

    assert "dry run: nothing written" in out.getvalue()
    assert (StudentProfile.objects.count(), ImportRun.objects.count()) == (0, 0)


def test_command_refuses_a_path_that_is_not_an_export(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")

    with pytest.raises(CommandError, match="not a zip file"):
        call_command("import_oneroster", str(tmp_path / "notes.txt"), stdout=io.StringIO())


# --- A real worker ---------------------------------------------------------------------------


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_uploaded_import_runs_on_a_real_worker(celery_worker, client_for, tmp_path):
    CourseFactory(code=CTE_CODE)
    from tests.factories.users import StaffUserFactory

    staff = StaffUserFactory(email="worker.staff@example.org")
    client = client_for(staff)

    response = client.post(UPLOAD, {"export": zip_upload(district(students_per_school=20))})

    run_id = ImportRun.objects.get().pk
    assert response["Location"] == f"/roster/{run_id}/"
    run = wait_for(
        lambda: ImportRun.objects.filter(pk=run_id, state=ImportState.DONE).first(), timeout=60
    )
    assert run.report["counts"]["users.csv"]["created"] == 41
    assert StudentProfile.objects.count() == 40
    assert "The export is imported." in client.get(f"/roster/{run_id}/").content.decode()


# --- The run's lifecycle ---------------------------------------------------------------------


def test_a_finished_run_delivered_again_is_left_alone(cte_course, export, tmp_path):
    from students.roster import services

    run = services.import_run_start(path=str(export.write(tmp_path / "r")))
    services.import_run_execute(run_id=run.pk)
    before = snapshot()
    finished = ImportRun.objects.get(pk=run.pk).finished_at

    assert services.import_run_execute(run_id=run.pk) is None
    assert snapshot() == before
    assert ImportRun.objects.get(pk=run.pk).finished_at == finished


def test_a_run_left_running_by_a_dead_worker_runs_again(cte_course, export, tmp_path):
    from students.roster import services

    run = services.import_run_start(path=str(export.write(tmp_path / "r")))
    ImportRun.objects.filter(pk=run.pk).update(state=ImportState.RUNNING)

    services.import_run_execute(run_id=run.pk)

    assert ImportRun.objects.get(pk=run.pk).state == ImportState.DONE
    assert StudentProfile.objects.count() == 6


@pytest.mark.django_db(transaction=True)
def test_upload_while_the_broker_is_down_fails_the_run_visibly(client_for, tmp_path):
    from tests.conftest import celery_on_redis
    from tests.factories.users import StaffUserFactory

    client = client_for(StaffUserFactory(email="down.staff@example.org"))
    with celery_on_redis("redis://127.0.0.1:1/0"):  # nothing listens there
        response = client.post(UPLOAD, {"export": zip_upload(district())})

    run = ImportRun.objects.get()
    assert response["Location"] == f"/roster/{run.pk}/"
    assert run.state == ImportState.FAILED
    assert run.error == "The task queue is not reachable; nothing was imported. Try again later."
    assert not run.file
    assert "The task queue is not reachable" in client.get(f"/roster/{run.pk}/").content.decode()
