"""Log in with the reference number of a pre-registered person (ADR 0311).

allauth's backend knows emails only. This one answers credentials carrying ``reference``
(the login form sends them when 8 digits were typed) and nothing else, so the login view,
its limits and its stages (second factor, terms) are the same for both identifiers.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .models import PreregisteredPerson


class ReferenceBackend(ModelBackend):
    def authenticate(self, request, reference=None, password=None, **kwargs):
        if not reference or password is None:
            return None
        person = (
            PreregisteredPerson.objects.select_related("user")
            .filter(reference=reference, user__isnull=False)
            .first()
        )
        if person is None:
            # As long as a wrong password: no timing difference for an unknown reference.
            get_user_model()().set_password(password)
            return None
        user = person.user
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
