"""Identity models, split by concern; import them from ``identity.models``."""

from .core import Membership, Notification, Space, User, UserManager
from .federation import FederatedIdentity
from .organisations import SpaceEvent, SpaceInvitation
from .preregistered import PreregisteredActivation, PreregisteredPerson
from .profile import Profile
from .security import (
    DeletedAccount,
    LoginCode,
    OtpCard,
    RecoveryCode,
    SecurityEvent,
    TermsAcceptance,
    TermsVersion,
    TotpDevice,
)

__all__ = [
    "DeletedAccount",
    "FederatedIdentity",
    "LoginCode",
    "Membership",
    "Notification",
    "OtpCard",
    "PreregisteredActivation",
    "PreregisteredPerson",
    "Profile",
    "RecoveryCode",
    "SecurityEvent",
    "Space",
    "SpaceEvent",
    "SpaceInvitation",
    "TermsAcceptance",
    "TermsVersion",
    "TotpDevice",
    "User",
    "UserManager",
]
