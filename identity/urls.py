from django.urls import path

from .views import account, login

app_name = "identity"
urlpatterns = [
    path("compte/connexion/code/", login.second_factor, name="second_factor"),
    path(
        "compte/connexion/code/renvoyer/", login.second_factor_resend, name="second_factor_resend"
    ),
    path("compte/activation/nouveau-lien/", login.resend_activation, name="resend_activation"),
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
