"""What an instruction leaves behind, written so that two demandes can be compared: the
timeline and the emails, with each demande's number, ids and signed links masked."""

import re


def anonymous(text: str, case) -> str:
    for value in (case.display_number, case.number, str(case.pk)):
        text = text.replace(value, "<N>")
    text = re.sub(r"/[0-9a-f-]{36}/", "/<id>/", text)
    return re.sub(r"/suivre/lien/[^/\s]+/", "/suivre/lien/<signed link of the demande>/", text)


def timeline(case, since: int) -> list[tuple]:
    return [
        (e.kind, e.actor_role, e.actor_id, e.status, anonymous(e.summary, case))
        for e in case.events.order_by("created_at", "id")[since:]
    ]


def mails(outbox, since: int, case) -> list[tuple]:
    return [
        (sorted(m.to), anonymous(m.subject, case), anonymous(m.body, case)) for m in outbox[since:]
    ]
