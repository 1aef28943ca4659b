"""Writes for people, spaces, notifications and authentication.

Keyword-only functions named ``<entity>_<action>``, grouped by concern in submodules and
re-exported here: import them from ``identity.services``.
"""

from .accounts import (
    account_delete,
    deleted_accounts_purge,
    password_reset_sms_send,
    pending_registrations_purge,
    phone_change_start,
    phone_opt_out,
    phone_verify,
    profile_update,
    terms_accept,
    terms_accept_current,
    user_signup_complete,
)
from .cards import (
    card_link_confirm,
    card_link_digital_start,
    card_link_physical_start,
    card_report_lost,
    otp_cards_import,
)
from .federation import (
    FederationRefusedError,
    federated_account_create,
    federated_identity_link,
    federated_identity_unlink,
    federated_login_record,
    federated_profile_update,
)
from .invitations import (
    invitation_accept,
    invitation_code_send,
    invitation_first_connection,
    invitation_revoke,
    membership_invite,
)
from .notifications import (
    notification_deliver,
    notification_drain,
    notification_enqueue,
    outbox_publish,
    space_create_personal,
)
from .organisations import (
    LastManagerError,
    membership_leave,
    membership_remove,
    membership_set_role,
    organisation_claim,
    organisation_create,
    organisations_import,
)
from .preregistered import (
    ActivationRefusedError,
    preregistered_activation_complete,
    preregistered_activation_pending,
    preregistered_activation_request,
    preregistered_activations_purge,
    preregistered_import,
)
from .second_factor import (
    login_code_issue,
    login_code_verify,
    recovery_code_use,
    recovery_codes_current,
    recovery_codes_regenerate,
    totp_code_check,
    totp_device_confirm,
    totp_device_remove,
    totp_device_start,
    totp_device_verify,
)
from .security_log import security_event_record
from .space_log import space_event_record

__all__ = [
    "ActivationRefusedError",
    "FederationRefusedError",
    "LastManagerError",
    "account_delete",
    "card_link_confirm",
    "card_link_digital_start",
    "card_link_physical_start",
    "card_report_lost",
    "deleted_accounts_purge",
    "federated_account_create",
    "federated_identity_link",
    "federated_identity_unlink",
    "federated_login_record",
    "federated_profile_update",
    "invitation_accept",
    "invitation_code_send",
    "invitation_first_connection",
    "invitation_revoke",
    "login_code_issue",
    "login_code_verify",
    "membership_invite",
    "membership_leave",
    "membership_remove",
    "membership_set_role",
    "notification_deliver",
    "notification_drain",
    "notification_enqueue",
    "organisation_claim",
    "organisation_create",
    "organisations_import",
    "otp_cards_import",
    "outbox_publish",
    "password_reset_sms_send",
    "pending_registrations_purge",
    "phone_change_start",
    "phone_opt_out",
    "phone_verify",
    "preregistered_activation_complete",
    "preregistered_activation_pending",
    "preregistered_activation_request",
    "preregistered_activations_purge",
    "preregistered_import",
    "profile_update",
    "recovery_code_use",
    "recovery_codes_current",
    "recovery_codes_regenerate",
    "security_event_record",
    "space_create_personal",
    "space_event_record",
    "terms_accept",
    "terms_accept_current",
    "totp_code_check",
    "totp_device_confirm",
    "totp_device_remove",
    "totp_device_start",
    "totp_device_verify",
    "user_signup_complete",
]
