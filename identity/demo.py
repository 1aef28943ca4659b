"""Demo accounts (idempotent). Passwords are for a local demo only."""

from django.contrib.auth.models import Group

from .models import User

DEMO_PASSWORD = "Demo-Guichet-2026!"  # noqa: S105 - printed demo credential, local only

DEMO_USERS = [
    # email, first name, last name, flags, groups
    ("admin@guichet.test", "Ada", "Admin", {"is_staff": True, "is_superuser": True}, []),
    ("editeur@guichet.test", "Émile", "Éditeur", {"is_staff": True}, ["Éditeurs"]),
    ("instructeur@guichet.test", "Inès", "Instructrice", {"is_staff": False}, ["Instructeurs"]),
    ("usager@guichet.test", "Ulysse", "Usager", {}, []),
]


def seed(stdout) -> None:
    for email, first, last, flags, groups in DEMO_USERS:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(
                email, DEMO_PASSWORD, first_name=first, last_name=last, **flags
            )
        for name in groups:
            user.groups.add(Group.objects.get_or_create(name=name)[0])
        stdout.write(f"  {email:<28} {DEMO_PASSWORD}")
