"""Industry partners: organizations, contacts, sign-up, offers, advisory seats, interactions and
agreements. Depends on pathways.

Layout (see STYLE.md): models.py, enums.py, services.py (writes), selectors.py (reads),
permissions.py, forms.py / views.py / urls.py (pages), api/ (REST), tasks.py, emails.py.
"""
