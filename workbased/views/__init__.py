"""The workbased app's pages: ``public`` (the board, an opportunity, applying, calendars),
``student`` (a student's own work-based learning), ``employer`` (a host's opportunities,
applicants, placements, hours and evaluations), ``staff`` (CTE staff's and counselors' pages,
school requests) and ``links`` (the signed links used without signing in: a guardian's
consent, a supervisor's hours review, a personal calendar feed).

Each view says who may use it (a role check, then the object through a selector or a
predicate: someone else's answers 404), calls one selector or service, and turns a
``WorkbasedError`` into a message on the form, keeping what was typed."""
