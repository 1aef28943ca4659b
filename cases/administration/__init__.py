"""A démarche administrator's pages under /administration/demarches/<slug>/ (ADR 0019):
settings, versions and their diff, export/import, clone, close/reopen and history; the
emails' own texts with their preview (ADR 0022)."""
