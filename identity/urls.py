from django.urls import path

from .views import account, activation, federation, invitations, login, manage, spaces, terms

app_name = "identity"
urlpatterns = [
    path("compte/connexion/code/", login.second_factor, name="second_factor"),
    path(
        "compte/connexion/code/renvoyer/", login.second_factor_resend, name="second_factor_resend"
    ),
    path("compte/connexion/conditions/", terms.terms_accept_stage, name="terms_accept"),
    # Identity federations (ADR 0312): FranceConnect, ProConnect.
    path("compte/logout/", federation.LogoutView.as_view(), name="logout"),
    path(
        "compte/federation/<slug:provider>/connexion/",
        federation.login_start,
        name="federation_login",
    ),
    path(
        "compte/federation/<slug:provider>/retour/",
        federation.callback,
        name="federation_callback",
    ),
    path(
        "compte/federation/<slug:provider>/deconnexion/",
        federation.logout_done,
        name="federation_logout_done",
    ),
    path("compte/federation/<slug:provider>/lier/", federation.link_start, name="federation_link"),
    path(
        "compte/federation/<slug:provider>/retirer/",
        federation.unlink,
        name="federation_unlink",
    ),
    path(
        "compte/federation/lier/confirmer/",
        federation.link_confirm,
        name="federation_link_confirm",
    ),
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
    # Spaces (ADR 0308)
    path("espaces/", spaces.space_list, name="spaces"),
    path("espaces/changer/", spaces.space_switch, name="space_switch"),
    path("espaces/quitter/", spaces.space_leave, name="space_leave"),
    path("espaces/association/ajouter/", spaces.organisation_add, name="organisation_add"),
    path(
        "espaces/organisation/devenir-gestionnaire/",
        spaces.organisation_claim_start,
        name="organisation_claim",
    ),
    path(
        "espaces/organisation/devenir-gestionnaire/confirmer/",
        spaces.organisation_claim_confirm,
        name="organisation_claim_confirm",
    ),
    path("invitation/<str:token>/", invitations.invitation, name="invitation"),
    path(
        "invitation/<str:token>/code/envoyer/",
        invitations.invitation_send_code,
        name="invitation_send_code",
    ),
    path("invitation/<str:token>/code/", invitations.invitation_code, name="invitation_code"),
    path("compte/bienvenue/", invitations.invitation_welcome, name="invitation_welcome"),
    # Space management: a staff area (app or card login), registered in apps.py.
    path("espaces/gestion/", manage.manage_home, name="space_manage"),
    path("espaces/gestion/inviter/", manage.manage_invite, name="space_invite"),
    path(
        "espaces/gestion/invitations/<int:invitation_id>/annuler/",
        manage.manage_invitation_revoke,
        name="space_invitation_revoke",
    ),
    path(
        "espaces/gestion/membres/<int:membership_id>/",
        manage.manage_member,
        name="space_member",
    ),
    path(
        "espaces/gestion/membres/<int:membership_id>/role/",
        manage.manage_member_role,
        name="space_member_role",
    ),
    path(
        "espaces/gestion/membres/<int:membership_id>/retirer/",
        manage.manage_member_remove,
        name="space_member_remove",
    ),
    path(
        "espaces/gestion/membres/<int:membership_id>/carte-physique/",
        manage.manage_card_physical,
        name="space_card_physical",
    ),
    path(
        "espaces/gestion/membres/<int:membership_id>/carte-numerique/",
        manage.manage_card_digital,
        name="space_card_digital",
    ),
    path(
        "espaces/gestion/membres/<int:membership_id>/carte/confirmer/",
        manage.manage_card_confirm,
        name="space_card_confirm",
    ),
    path(
        "espaces/gestion/cartes/<int:device_id>/perdue/",
        manage.manage_card_lost,
        name="space_card_lost",
    ),
    path("espaces/gestion/journal/", manage.manage_log, name="space_log"),
]
