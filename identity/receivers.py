from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import User
from .services import space_create_personal


@receiver(post_save, sender=User, dispatch_uid="identity_personal_space")
def give_personal_space(sender, instance, created, raw=False, **kwargs):
    """Every user has a personal space from the moment the account exists."""
    if created and not raw:
        space_create_personal(user=instance)
