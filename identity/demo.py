"""Demo accounts (idempotent). Passwords and the TOTP secret are for a local demo only."""

from datetime import date

import pyotp
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from .crypto import encrypt_secret
from .models import PreregisteredPerson, Space, TotpDevice, User
from .services import terms_accept_current
from .services.second_factor import totp_secret

DEMO_PASSWORD = "Demo-Guichet-2026!"  # noqa: S105 - printed demo credential, local only
DEMO_MOBILE = "+33600000001"
DEMO_DOMAIN = "guichet.test"

DEMO_USERS = [
    # email, first name, last name, flags, groups
    ("admin@guichet.test", "Ada", "Admin", {"is_staff": True, "is_superuser": True}, []),
    ("editeur@guichet.test", "Émile", "Éditeur", {"is_staff": True}, ["Éditeurs"]),
    ("instructeur@guichet.test", "Inès", "Instructrice", {"is_staff": False}, ["Instructeurs"]),
    # Email-only applicant: login codes arrive by email.
    ("usager@guichet.test", "Ulysse", "Usager", {}, []),
    # Applicant with a verified mobile: login codes arrive by SMS (var/sms/).
    ("usager.mobile@guichet.test", "Maya", "Mobile", {}, []),
    # Applicant with an authenticator app: the secret is printed below.
    ("usager.totp@guichet.test", "Théo", "Totp", {}, []),
]


def demo_totp_secret(user: User) -> str:
    """A confirmed authenticator app for a demo account; returns its secret to print."""
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        device = TotpDevice.objects.create(
            user=user,
            label="Application de démonstration",
            secret_encrypted=encrypt_secret(pyotp.random_base32()),
            confirmed_at=timezone.now(),
        )
    return totp_secret(device)


def demo_email_verified(user: User) -> None:
    """Demo accounts are activated: their email address counts as verified."""
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def seed_terms_accepted() -> None:
    """Demo accounts have accepted the current terms, as a sign-up leaves an account, so
    that their first login reaches its page (ADR 0310). Run after every layer has created
    its accounts (the CMS's moderator too, which may not import identity)."""
    for user in User.objects.filter(email__iendswith=f"@{DEMO_DOMAIN}"):
        terms_accept_current(user=user)


# A person a service imported, who can activate an account at /compte/activer/.
DEMO_PREREGISTERED = {
    "reference": "20260001",
    "birth_date": date(1980, 5, 14),
    "sex": PreregisteredPerson.Sex.FEMALE,
    "extra_fact": "Lyon",
}


def seed_preregistered(stdout) -> None:
    if not PreregisteredPerson.objects.filter(reference=DEMO_PREREGISTERED["reference"]).exists():
        PreregisteredPerson.objects.create(**DEMO_PREREGISTERED, imported_at=timezone.now())
    stdout.write(
        "  personne pré-inscrite : numéro {reference}, née le {birth_date:%d/%m/%Y}, sexe F,"
        " centre « {extra_fact} » (activation : /compte/activer/)".format(**DEMO_PREREGISTERED)
    )


def seed(stdout) -> None:
    for email, first, last, flags, groups in DEMO_USERS:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(
                email, DEMO_PASSWORD, first_name=first, last_name=last, **flags
            )
        demo_email_verified(user)
        for name in groups:
            user.groups.add(Group.objects.get_or_create(name=name)[0])
        line = f"  {email:<28} {DEMO_PASSWORD}"
        if email == "usager.mobile@guichet.test" and not user.verified_phone:
            user.phone, user.phone_verified_at = DEMO_MOBILE, timezone.now()
            user.save(update_fields=["phone", "phone_verified_at"])
        if email == "usager.mobile@guichet.test":
            line += f"  (codes par SMS au {DEMO_MOBILE}, fichiers dans var/sms/)"
        elif email == "usager.totp@guichet.test":
            line += f"  (application TOTP, secret : {demo_totp_secret(user)})"
        elif not flags:
            line += "  (codes par courriel, fichiers dans var/mail/)"
        stdout.write(line)
    seed_preregistered(stdout)
    seed_organisation(stdout)


DEMO_ORGANISATION = ("Association de démonstration", "100001")


def seed_organisation(stdout) -> None:
    """A pre-registered organisation, without a manager: become its manager with its
    member number in "Mes espaces" (ADR 0308)."""
    name, number = DEMO_ORGANISATION
    Space.objects.get_or_create(
        member_number=number, defaults={"kind": Space.Kind.ORGANISATION, "name": name}
    )
    stdout.write(f"  Organisation « {name} » : numéro d'adhérent {number}")


def seed_staff_apps(stdout) -> None:
    """Staff areas need an authenticator-app login (ADR 0007): every demo staff account
    gets a demo app; its secret is printed. Run after every layer has created its staff."""
    for user in User.objects.filter(is_staff=True).order_by("email"):
        stdout.write(
            f"  {user.email:<28} (agent : application TOTP, secret : {demo_totp_secret(user)})"
        )
