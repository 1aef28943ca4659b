"""Log in through an identity federation: FranceConnect for applicants, ProConnect for
agents (ADR 0312). ``config`` reads the settings, ``client`` speaks OpenID Connect through
authlib; the accounts side is ``identity.services.federation``."""
