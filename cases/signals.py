"""Domain signals sent by cases; the workflows layer listens (cases never imports it)."""

from django.dispatch import Signal

# Sent after commit when the applicant answers in the discussion: kwargs case, message.
applicant_replied = Signal()

# Sent after commit when a demande is submitted: kwargs case. Instruction starts from it.
case_submitted = Signal()

# Sent inside the transaction that takes someone out of a service's instructors (the
# démarche administration, ADR 0021): kwargs service, user. The work they held on that
# service's demandes goes back to the queue in the same transaction (the receiver returns
# how many demandes); a receiver that raises ``ValidationError`` cancels the removal.
instructor_removed = Signal()
