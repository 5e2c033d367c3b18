"""``manage.py seed_demo``: idempotent demo data for every app.

Each installed app may have a ``demo.py`` with a ``seed()`` function returning the lines to
print. They run in INSTALLED_APPS order (users first, then pathways, partners, students,
workbased), so later apps can build on earlier apps' demo data.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


def demo_modules() -> list:
    modules = []
    for config in apps.get_app_configs():
        name = f"{config.name}.demo"
        if find_spec(name) is not None:
            modules.append(import_module(name))
    return modules


class Command(BaseCommand):
    help = "Create or refresh the demo data (safe to run again)."

    def handle(self, *args: object, **options: object) -> None:
        with transaction.atomic():
            for module in demo_modules():
                for line in module.seed():
                    self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
