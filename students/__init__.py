"""Students and counselors: profiles, enrollment in pathway offerings, course records, credentials
earned, advising and the roster import. Depends on pathways.

Layout (see STYLE.md): models.py, enums.py, services.py (writes), selectors.py (reads),
permissions.py, forms.py / views.py / urls.py (pages), api/ (REST), tasks.py, emails.py.
"""
