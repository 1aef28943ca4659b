"""Identity models, split by concern; import them from ``identity.models``."""

from .core import Membership, Notification, Space, User, UserManager
from .preregistered import PreregisteredActivation, PreregisteredPerson
from .profile import Profile
from .security import (
    DeletedAccount,
    LoginCode,
    RecoveryCode,
    SecurityEvent,
    TermsAcceptance,
    TermsVersion,
    TotpDevice,
)

__all__ = [
    "DeletedAccount",
    "LoginCode",
    "Membership",
    "Notification",
    "PreregisteredActivation",
    "PreregisteredPerson",
    "Profile",
    "RecoveryCode",
    "SecurityEvent",
    "Space",
    "TermsAcceptance",
    "TermsVersion",
    "TotpDevice",
    "User",
    "UserManager",
]
