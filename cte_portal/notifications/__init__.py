"""Notifications: an outbox that Celery drains, and the in-portal notification centre.

A service writes a row in the same transaction as the event (``services.notify``); after
commit a task claims its batch with a conditional update, sends it (each send written in the
batch's journal) and records it SENT; a periodic sweep folds the journals of dead batches and
re-queues rows whose task or worker was lost. See README.md, "Notifications".
"""
