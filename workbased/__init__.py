"""Work-based learning: opportunities, applications, placements, hours, evaluations and school
requests. Depends on pathways, partners and students.

Layout (see STYLE.md): models.py, enums.py, services.py (writes), selectors.py (reads),
permissions.py, forms.py / views.py / urls.py (pages), api/ (REST), tasks.py, emails.py.
"""
