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
from .notifications import (
    notification_deliver,
    notification_drain,
    notification_enqueue,
    space_create_personal,
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
    totp_device_confirm,
    totp_device_remove,
    totp_device_start,
    totp_device_verify,
)
from .security_log import security_event_record

__all__ = [
    "ActivationRefusedError",
    "account_delete",
    "deleted_accounts_purge",
    "login_code_issue",
    "login_code_verify",
    "notification_deliver",
    "notification_drain",
    "notification_enqueue",
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
    "terms_accept",
    "terms_accept_current",
    "totp_device_confirm",
    "totp_device_remove",
    "totp_device_start",
    "totp_device_verify",
    "user_signup_complete",
]
