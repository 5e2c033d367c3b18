"""Notifications: an outbox that Celery drains, and the in-portal notification centre.

A service writes a row in the same transaction as the event (``services.notify``); after
commit a task claims it with a conditional update, sends it and marks it SENT; a periodic
sweep re-queues rows whose task was lost. See README.md, "Notifications".
"""
