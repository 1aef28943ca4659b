import pytest
from django.db import IntegrityError

from identity.models import Membership, Space, User
from identity.selectors import space_personal_for

pytestmark = pytest.mark.django_db


def test_every_new_user_gets_a_personal_space_they_own():
    user = User.objects.create_user("louise@example.fr", "x")
    space = space_personal_for(user=user)
    assert space.kind == Space.Kind.PERSONAL
    assert Membership.objects.get(space=space).user == user
    assert Membership.objects.get(space=space).role == Membership.Role.OWNER


def test_email_is_unique_whatever_its_case():
    User.objects.create_user("Louise@Example.fr", "x")
    with pytest.raises(IntegrityError):
        User.objects.create_user("louise@example.FR", "x")


def test_login_identifier_matches_email_case_insensitively():
    user = User.objects.create_user("Louise@Example.fr", "x")
    assert User.objects.get_by_natural_key("LOUISE@example.fr") == user


def test_password_is_hashed_never_stored_in_clear():
    user = User.objects.create_user("louise@example.fr", "Un-Mot-De-Passe-2026!")
    assert "Un-Mot-De-Passe-2026!" not in user.password
    assert user.check_password("Un-Mot-De-Passe-2026!")
