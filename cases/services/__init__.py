"""Writes for procedures and cases. Keyword-only functions named ``<entity>_<action>``.

Every state change runs the django-fsm transition and writes a ``CaseEvent`` in the same
transaction; emails go through the identity outbox after commit.
"""

from .common import (
    FileBytes,
    case_event_write,
    case_file_store,
    locker_files,
)
from .filing import (
    DRAFT_LIFETIME,
    DRAFT_WARNING,
    EMAIL_CODE_MAX_ATTEMPTS,
    EMAIL_CODE_TTL,
    case_attach_file,
    case_attach_locker_documents,
    case_remove_file,
    case_save_answers,
    case_send_email_code,
    case_start,
    case_submit,
    case_verify_email_code,
    drafts_expire,
    missing_documents,
    missing_items,
    prefill_missing,
    procedure_publish_version,
)
from .instruction import (
    DECISIONS,
    case_add_private_note,
    case_decide,
    case_notify_decision,
    case_receive_reply,
    case_remind_applicant,
    case_reopen,
    case_request_documents,
    case_request_information,
    case_start_instruction,
    message_post,
)

__all__ = [
    "DECISIONS",
    "DRAFT_LIFETIME",
    "DRAFT_WARNING",
    "EMAIL_CODE_MAX_ATTEMPTS",
    "EMAIL_CODE_TTL",
    "FileBytes",
    "case_add_private_note",
    "case_attach_file",
    "case_attach_locker_documents",
    "case_decide",
    "case_event_write",
    "case_file_store",
    "case_notify_decision",
    "case_receive_reply",
    "case_remind_applicant",
    "case_remove_file",
    "case_reopen",
    "case_request_documents",
    "case_request_information",
    "case_save_answers",
    "case_send_email_code",
    "case_start",
    "case_start_instruction",
    "case_submit",
    "case_verify_email_code",
    "drafts_expire",
    "locker_files",
    "message_post",
    "missing_documents",
    "missing_items",
    "prefill_missing",
    "procedure_publish_version",
]
