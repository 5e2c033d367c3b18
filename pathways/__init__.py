"""The catalogue: sectors (career clusters), pathways, courses, credentials, college credit,
occupations, schools and offerings. Depends on nothing else in the portal.

Layout (see STYLE.md): models.py, enums.py, services.py (writes), selectors.py (reads),
permissions.py, forms.py / views.py / urls.py (pages), api/ (REST), tasks.py, emails.py.
"""
