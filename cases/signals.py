"""Domain signals sent by cases; the workflows layer listens (cases never imports it)."""

from django.dispatch import Signal

# Sent after commit when the applicant answers in the discussion: kwargs case, message.
applicant_replied = Signal()
