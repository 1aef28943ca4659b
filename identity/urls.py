from django.urls import path

from .views import account, activation, login, terms

app_name = "identity"
urlpatterns = [
    path("compte/connexion/code/", login.second_factor, name="second_factor"),
    path(
        "compte/connexion/code/renvoyer/", login.second_factor_resend, name="second_factor_resend"
    ),
    path("compte/connexion/conditions/", terms.terms_accept_stage, name="terms_accept"),
    path("compte/activation/nouveau-lien/", login.resend_activation, name="resend_activation"),
    # Activation of a pre-registered person (ADR 0311): facts, address and password, link.
    path("compte/activer/", activation.facts, name="activation_facts"),
    path("compte/activer/identifiants/", activation.credentials, name="activation_credentials"),
    path("compte/activer/lien-envoye/", activation.link_sent, name="activation_link_sent"),
    path("compte/activer/lien/<str:token>/", activation.confirm, name="activation_confirm"),
    # Terms of use and charters, each version at its own address (ADR 0310).
    path("cgu/", terms.terms, name="terms"),
    path("cgu/<str:version>/", terms.terms, name="terms_version"),
    path("chartes/<slug:space_kind>/", terms.charter, name="charter"),
    path("chartes/<slug:space_kind>/<str:version>/", terms.charter, name="charter_version"),
    path("compte/securite/", account.security, name="security"),
    path("compte/securite/application/", account.totp_enrol, name="totp_enrol"),
    path(
        "compte/securite/application/<int:device_id>/retirer/",
        account.totp_remove,
        name="totp_remove",
    ),
    path("compte/securite/codes-de-secours/", account.recovery_codes, name="recovery_codes"),
    path(
        "compte/securite/codes-de-secours/telecharger/",
        account.recovery_codes_download,
        name="recovery_codes_download",
    ),
    path("compte/mobile/", account.phone, name="phone"),
    path("compte/mobile/verifier/<str:token>/", account.phone_confirm, name="phone_verify"),
    path("compte/informations/", account.profile, name="profile"),
    path("compte/supprimer/", account.delete_account, name="delete_account"),
]
