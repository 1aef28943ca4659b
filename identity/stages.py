"""Our allauth login stages: the second factor, then the terms to accept.

After the password, the pending login waits in the session (the user is not logged in):
the only page it can reach is the code page. A user with a confirmed TOTP device types a
code from it (or a recovery code); anyone else receives a 6-digit code by SMS (verified
mobile) or by email. The attempt id binds the code to this pending login. When the account
has had too many codes sent, none is sent and the code page says when to try again.

A federation's login (identity.views.federation) says in the login's state whether it
vouched for a second factor: FranceConnect does (eIDAS low, personal space only), and
ProConnect when its acr or amr proves one; then no code is asked (ADR 0312).

The terms stage comes last: once the person is known for sure (password and second
factor), and before they are logged in, they accept the current CGU (and the charter of
their kinds of space) if they have not yet (ADR 0310).
"""

import secrets

from allauth.account.stages import LoginStage
from allauth.core.internal.httpkit import headed_redirect_response

from .models import TotpDevice
from .selectors import second_factor_remember, terms_to_accept
from .services import login_code_issue

# Set by a federation's login in allauth's ``Login.state``: what it vouched for.
FEDERATION_STATE_KEY = "guichet_federation"


class SecondFactorStage(LoginStage):
    key = "guichet_second_factor"
    urlname = "identity:second_factor"

    def is_resumable(self, request) -> bool:
        # The login page stays reachable: "start again" begins a new attempt (new code).
        return False

    def handle(self):
        user = self.login.user
        if user is None:
            return None, True
        vouched = self.login.state.get(FEDERATION_STATE_KEY)
        if vouched and vouched.get("second_factor"):
            # FranceConnect, or ProConnect with a proven second factor (ADR 0312).
            second_factor_remember(
                self.request, method=vouched["second_factor"], federation=vouched["session"]
            )
            return None, True
        if not self.state.get("attempt"):
            self.state["attempt"] = secrets.token_urlsafe(32)
            has_totp = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()
            self.state["method"] = "totp" if has_totp else "code"
            if not has_totp:
                login_code_issue(user=user, attempt=self.state["attempt"], request=self.request)
        return headed_redirect_response("identity:second_factor"), True


class TermsStage(LoginStage):
    key = "guichet_terms"
    urlname = "identity:terms_accept"

    def is_resumable(self, request) -> bool:
        return False

    def handle(self):
        user = self.login.user
        if user is None or not terms_to_accept(user=user):
            return None, True
        return headed_redirect_response("identity:terms_accept"), True
