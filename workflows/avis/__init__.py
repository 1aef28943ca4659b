"""Expert opinions (avis) on a demande: an instructor asks an outside expert, who answers
through an invitation link and their own account (docs/adr/0408-expert-opinions.md).

- ``models``: the request (``Avis``), its answer files and its history (instructors only).
- ``services``: ask, enrol the expert, answer, remind, revoke, close at the decision.
- ``selectors``: reads scoped to the instructor's services or to the expert's own avis.
- ``views``: the instructor's actions on the demande page and the expert's pages.
"""
