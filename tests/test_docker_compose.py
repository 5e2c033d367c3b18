"""docker-compose.yml and the Dockerfile, checked by reading them: no Docker engine needed.

Every command a container runs must name something that exists in this project (a WSGI
module, the Celery app, a management command) and a program that pyproject.toml installs.
When ``docker compose`` itself is available, ``docker compose config`` validates the file too.
"""

from __future__ import annotations

import ast
import json
import re
import shlex
import shutil
import subprocess
import tomllib
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from django.core.management import get_commands
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"

SERVICES = {"db", "redis", "web", "worker", "beat", "mailpit"}
SHELLS = {"sh", "bash", "/bin/sh", "/bin/bash"}
SHELL_SEPARATORS = {"&&", "||", ";", "&", "|"}


@cache
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def services() -> dict[str, dict]:
    return compose()["services"]


def built_from_source(service: dict) -> bool:
    build = service.get("build")
    context = build.get("context", ".") if isinstance(build, dict) else build
    return context in {".", "./"}


def app_services() -> dict[str, dict]:
    return {name: svc for name, svc in services().items() if built_from_source(svc)}


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: str(value) for key, value in env.items()}


def depends_on(service: dict) -> dict[str, dict]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return {name: {"condition": "service_started"} for name in deps}
    return deps


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@cache
def pyproject_dependencies() -> frozenset[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return frozenset(normalize(Requirement(dep).name) for dep in project["dependencies"])


def installing_distribution(program: str) -> str | None:
    """The distribution whose console script is ``program``, as installed in this venv."""
    for entry_point in entry_points(group="console_scripts", name=Path(program).name):
        if entry_point.dist is not None:
            return normalize(entry_point.dist.name)
    return None


def invocations(command: str | list[str]) -> list[list[str]]:
    """The programs a container command runs: ``sh -c "a && exec b"`` gives ``[a, b]``."""
    argv = shlex.split(command) if isinstance(command, str) else [str(arg) for arg in command]
    if len(argv) >= 3 and argv[0] in SHELLS and argv[1] == "-c":
        lexer = shlex.shlex(argv[2], posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        result: list[list[str]] = [[]]
        for token in lexer:
            if token in SHELL_SEPARATORS:
                result.append([])
            else:
                result[-1].append(token)
        commands = [words for words in result if words]
    else:
        commands = [argv]
    return [words[1:] if words[0] == "exec" else words for words in commands]


def top_level_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.ImportFrom | ast.Import):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
    return names


def module_file(module: str) -> Path:
    base = ROOT.joinpath(*module.split("."))
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def option_value(argv: list[str], *names: str) -> str | None:
    for index, arg in enumerate(argv):
        if arg in names and index + 1 < len(argv):
            return argv[index + 1]
        for name in names:
            if name.startswith("--") and arg.startswith(name + "="):
                return arg.split("=", 1)[1]
    return None


def check_gunicorn(argv: list[str]) -> None:
    positional = [arg for arg in argv[1:] if not arg.startswith("-")]
    assert positional, f"gunicorn without an application: {argv}"
    # The application comes first, before options: `gunicorn cte_portal.wsgi --bind ...`.
    target = argv[1]
    assert not target.startswith("-"), f"put the WSGI module right after gunicorn: {argv}"
    module, _, attribute = target.partition(":")
    path = module_file(module)
    assert path.is_file(), f"gunicorn serves {module}, but {path.relative_to(ROOT)} is missing"
    attribute = attribute or "application"
    assert attribute in top_level_names(path), f"{path.relative_to(ROOT)} has no {attribute}"


def check_celery(argv: list[str]) -> None:
    from celery import Celery
    from celery.app.utils import find_app

    target = option_value(argv, "-A", "--app")
    assert target, f"celery without -A: {argv}"
    module, _, attribute = target.partition(":")
    if attribute:
        assert attribute in top_level_names(module_file(module))
    else:
        # Celery looks for `app` (or `celery`) in the module, then in <package>.celery.
        candidates = [module_file(module), ROOT.joinpath(*module.split("."), "celery.py")]
        assert any(
            path.is_file() and top_level_names(path) & {"app", "celery"} for path in candidates
        ), f"no Celery app named app in {module} or {module}.celery"
    assert isinstance(find_app(target), Celery)
    subcommand = next((arg for arg in argv[1:] if arg in {"worker", "beat"}), None)
    assert subcommand, f"celery runs neither worker nor beat: {argv}"


def check_python(argv: list[str]) -> None:
    assert len(argv) >= 3, f"unexpected python command: {argv}"
    assert argv[1] == "manage.py", f"only `python manage.py <command>` is expected: {argv}"
    assert (ROOT / "manage.py").is_file()
    assert argv[2] in get_commands(), f"no management command {argv[2]!r}"


def check_program_installed(program: str) -> None:
    distribution = installing_distribution(program)
    assert distribution, f"{program} is no console script of an installed package"
    assert distribution in pyproject_dependencies(), (
        f"{program} comes from {distribution}, which pyproject.toml does not install"
    )


def check_invocation(argv: list[str]) -> None:
    program = Path(argv[0]).name
    if program in {"python", "python3"}:
        check_python(argv)
        return
    check_program_installed(program)
    if program == "gunicorn":
        check_gunicorn(argv)
    elif program == "celery":
        check_celery(argv)
    else:
        pytest.fail(f"no check for the program {program}: teach this test about it")


# --- Dockerfile -------------------------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for line in DOCKERFILE.read_text().splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        full = (pending + stripped).strip()
        pending = ""
        if full:
            keyword, _, rest = full.partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    return instructions


def final_stage() -> list[tuple[str, str]]:
    instructions = dockerfile_instructions()
    starts = [i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM"]
    return instructions[starts[-1] :]


def exec_form(arguments: str) -> list[str]:
    return json.loads(arguments) if arguments.startswith("[") else ["sh", "-c", arguments]


def dockerfile_command() -> list[str]:
    stage = final_stage()
    entrypoint = [exec_form(args) for keyword, args in stage if keyword == "ENTRYPOINT"]
    cmd = [exec_form(args) for keyword, args in stage if keyword == "CMD"]
    return (entrypoint[-1] if entrypoint else []) + (cmd[-1] if cmd else [])


# --- The compose file -------------------------------------------------------------------------


def test_compose_file_is_valid_yaml():
    assert isinstance(compose(), dict)
    assert isinstance(services(), dict)


def test_compose_has_exactly_the_expected_services():
    assert set(services()) == SERVICES


def test_web_worker_and_beat_are_built_from_this_project():
    assert set(app_services()) == {"web", "worker", "beat"}


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_every_command_runs_something_this_project_has(name):
    service = app_services()[name]
    command = service.get("command") or dockerfile_command()
    runs = invocations(command)
    assert runs, f"{name} runs nothing"
    for argv in runs:
        check_invocation(argv)


def test_web_migrates_before_serving():
    runs = invocations(services()["web"]["command"])
    programs = [Path(argv[0]).name for argv in runs]
    assert programs[-1] == "gunicorn", "gunicorn must be the last thing web runs"
    migrate = [argv for argv in runs if argv[:3] == ["python", "manage.py", "migrate"]]
    assert migrate, "web must run `python manage.py migrate` first"
    assert "--noinput" in migrate[0]
    bind = option_value(runs[-1], "--bind", "-b")
    assert bind == "0.0.0.0:8000"


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_worker_and_beat_run_celery(name):
    (argv,) = invocations(services()[name]["command"])
    assert argv[0] == "celery"
    assert option_value(argv, "-A", "--app") == "cte_portal"
    assert name in argv


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_app_urls_point_at_the_compose_services(name):
    env = environment(services()[name])
    assert urlparse(env["DATABASE_URL"]).scheme in {"postgres", "postgresql"}
    assert urlparse(env["DATABASE_URL"]).hostname == "db"
    assert urlparse(env["CELERY_BROKER_URL"]).scheme == "redis"
    assert urlparse(env["CELERY_BROKER_URL"]).hostname == "redis"
    if "CACHE_URL" in env:
        assert urlparse(env["CACHE_URL"]).hostname == "redis"
    if "EMAIL_HOST" in env:
        assert env["EMAIL_HOST"] in services()
    for key in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"):
        assert key in env, f"{name} does not set {key}"


def test_database_url_matches_the_db_service():
    db = environment(services()["db"])
    url = urlparse(environment(services()["web"])["DATABASE_URL"])
    assert url.port in (None, 5432)
    assert url.path.lstrip("/") == db.get("POSTGRES_DB", "postgres")
    assert url.username == db.get("POSTGRES_USER", "postgres")


def test_depends_on_names_only_defined_services():
    for name, service in services().items():
        for dependency, spec in depends_on(service).items():
            assert dependency in services(), f"{name} depends on unknown service {dependency}"
            assert dependency != name
            if spec.get("condition") == "service_healthy":
                assert "healthcheck" in services()[dependency], (
                    f"{name} waits for {dependency} to be healthy, which has no healthcheck"
                )


def test_web_waits_for_a_healthy_database_and_redis():
    deps = depends_on(services()["web"])
    assert deps["db"]["condition"] == "service_healthy"
    assert deps["redis"]["condition"] == "service_healthy"


def test_db_and_redis_are_published_on_localhost_for_the_tests():
    # `docker compose up -d db redis` is how make test gets its services.
    assert "127.0.0.1:5432:5432" in services()["db"]["ports"]
    assert "127.0.0.1:6379:6379" in services()["redis"]["ports"]
    assert services()["db"]["image"].startswith("postgres:15")
    assert services()["redis"]["image"].startswith("redis:7")
    assert any("/var/lib/postgresql/data" in volume for volume in services()["db"]["volumes"])


def test_mailpit_publishes_its_ui_and_smtp():
    mailpit = services()["mailpit"]
    assert mailpit["image"].split(":")[0] == "axllent/mailpit"
    published = {port.rsplit(":", 1)[-1] for port in mailpit["ports"]}
    assert {"8025", "1025"} <= published


def test_workers_share_the_outbox_journal_on_a_volume_the_app_user_owns():
    # notifications/journal.py: the sweep must see every worker's journal, and the image's
    # user must be able to write it (the Dockerfile creates the folder the volume mounts on).
    folder = "/app/var/notification-journal"  # settings' default, BASE_DIR being /app
    settings_source = (ROOT / "cte_portal" / "settings.py").read_text()
    assert 'BASE_DIR / "var" / "notification-journal"' in settings_source
    workers = [
        svc for svc in app_services().values() if "worker" in str(svc.get("command", "")).split()
    ]
    assert workers
    for service in workers:
        mounts = {volume.split(":")[1]: volume.split(":")[0] for volume in service["volumes"]}
        assert mounts.get(folder) in (compose().get("volumes") or {})
    assert folder in DOCKERFILE.read_text()


def test_named_volumes_are_declared():
    declared = set(compose().get("volumes") or {})
    for name, service in services().items():
        for volume in service.get("volumes") or []:
            source = volume.split(":", 1)[0]
            if not source.startswith((".", "/", "~")):
                assert source in declared, f"{name} mounts undeclared volume {source}"


# --- The Dockerfile ---------------------------------------------------------------------------


def test_dockerfile_runs_gunicorn_installed_by_pyproject():
    assert DOCKERFILE.is_file()
    command = dockerfile_command()
    assert command, "the Dockerfile has neither CMD nor ENTRYPOINT"
    assert Path(command[0]).name == "gunicorn"
    assert "gunicorn" in pyproject_dependencies()
    for argv in invocations(command):
        check_invocation(argv)


def test_dockerfile_runs_as_a_non_root_user_and_exposes_8000():
    stage = final_stage()
    users = [args for keyword, args in stage if keyword == "USER"]
    assert users, "the image must not run as root"
    assert users[-1].split(":")[0] not in {"root", "0"}
    assert ("EXPOSE", "8000") in stage
    assert stage[0][1].startswith("python:3.11-slim")


def test_dockerfile_builds_static_files_and_translations():
    runs = " ".join(args for keyword, args in final_stage() if keyword == "RUN")
    assert "pip install ." in runs
    assert "manage.py collectstatic --noinput" in runs
    assert "scripts/compile_messages.py" in runs
    assert "npm ci" in " ".join(args for keyword, args in dockerfile_instructions())


def test_dockerfile_copies_files_that_exist_and_are_not_ignored():
    ignored = {
        line.strip()
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    for keyword, args in dockerfile_instructions():
        if keyword != "COPY" or args.startswith("--from"):
            continue
        *sources, _destination = shlex.split(args)
        for source in sources:
            if source.startswith("--"):
                continue
            assert (ROOT / source).exists(), f"COPY {source}: no such file"
            assert source not in ignored, f"COPY {source}, but .dockerignore excludes it"


def test_dockerignore_keeps_local_artifacts_out_of_the_image():
    ignored = {line.strip() for line in DOCKERIGNORE.read_text().splitlines()}
    assert {".venv", "node_modules", "db.sqlite3", ".git", "staticfiles"} <= ignored


# --- Docker itself, when this machine has it --------------------------------------------------


def docker_compose_unavailable() -> str | None:
    if shutil.which("docker") is None:
        return "the docker client is not installed"
    try:
        completed = subprocess.run(
            ["docker", "compose", "version"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"`docker compose version` failed: {exc}"
    if completed.returncode != 0:
        reason = (completed.stderr or completed.stdout).strip().splitlines()
        return f"`docker compose version` failed: {reason[0] if reason else completed.returncode}"
    return None


def test_docker_compose_config_accepts_the_file():
    reason = docker_compose_unavailable()
    if reason:
        pytest.skip(reason)
    completed = subprocess.run(
        ["docker", "compose", "-f", str(COMPOSE_FILE), "config", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
