from allauth.account.signals import password_changed, password_reset
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import SecurityEvent, User
from .services import security_event_record, space_create_personal


@receiver(post_save, sender=User, dispatch_uid="identity_personal_space")
def give_personal_space(sender, instance, created, raw=False, **kwargs):
    """Every user has a personal space from the moment the account exists."""
    if created and not raw:
        space_create_personal(user=instance)


@receiver(password_changed, dispatch_uid="identity_log_password_changed")
def log_password_changed(sender, request, user, **kwargs):
    security_event_record(user=user, kind=SecurityEvent.Kind.PASSWORD_CHANGED, request=request)


@receiver(password_reset, dispatch_uid="identity_log_password_reset")
def log_password_reset(sender, request, user, **kwargs):
    security_event_record(user=user, kind=SecurityEvent.Kind.PASSWORD_RESET, request=request)
