"""The partners app's pages: ``public`` (sign-up, invitation, mailing list), ``employer``
(a contact's dashboard and what they change) and ``staff`` (CTE staff run the relationships)."""
