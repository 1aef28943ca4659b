"""Webhooks: signed POSTs to the services' own systems, sent through the outbox."""
