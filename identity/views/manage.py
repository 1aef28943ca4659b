"""Managing an organisation space: members and roles, invitations, OTP cards, the log.

Every URL here is under the space-management staff area (``identity:space_manage``,
registered in ``IdentityConfig.ready``, ADR 0007): an app or card login is required before
any of these views runs. Each view then acts on the *current* space only, and only for a
manager or co-manager of it; anyone else gets a 404 (``selectors.managed_membership``).
Managers set roles and remove members; co-managers invite members, link and unlink
cards and read the log.
"""

import segno
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from identity.models import Membership, OtpCard, TotpDevice
from identity.organisation_forms import CardCodeForm, CardSerialForm, InviteForm, RoleForm
from identity.selectors import (
    managed_membership,
    space_cards_for,
    space_events_for,
    space_invitations_pending,
    space_member_get,
    space_members,
)
from identity.services import (
    LastManagerError,
    card_link_confirm,
    card_link_digital_start,
    card_link_physical_start,
    card_report_lost,
    invitation_revoke,
    membership_invite,
    membership_remove,
    membership_set_role,
)
from identity.services.cards import card_available
from identity.services.second_factor import totp_provisioning_uri, totp_secret

CARD_SESSION_KEY = "guichet_card_link"


def _manager(request, *, manager_only: bool = False) -> Membership:
    membership = managed_membership(request)
    if manager_only and membership.role != Membership.Role.MANAGER:
        raise Http404
    return membership


def manage_home(request):
    me = _manager(request)
    space = me.space
    members = list(space_members(space=space))
    return render(
        request,
        "identity/manage/home.html",
        {
            "me": me,
            "space": space,
            "members": members,
            "invitations": space_invitations_pending(space=space),
        },
    )


@require_http_methods(["GET", "POST"])
def manage_invite(request):
    me = _manager(request)
    may_name_managers = me.role == Membership.Role.MANAGER
    form = InviteForm(
        request.POST if request.method == "POST" else None,
        space=me.space,
        may_name_managers=may_name_managers,
    )
    if request.method == "POST" and form.is_valid():
        membership_invite(space=me.space, by=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("L'invitation est envoyée à %(email)s. Le lien marche 7 jours.")
            % {"email": form.cleaned_data["email"]},
        )
        return redirect("identity:space_manage")
    return render(request, "identity/manage/invite.html", {"form": form, "space": me.space})


@require_POST
def manage_invitation_revoke(request, invitation_id):
    me = _manager(request)
    invitation = space_invitations_pending(space=me.space).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    invitation_revoke(invitation=invitation, by=request.user)
    messages.success(
        request, _("L'invitation de %(email)s est annulée.") % {"email": invitation.email}
    )
    return redirect("identity:space_manage")


def manage_member(request, membership_id):
    me = _manager(request)
    member = space_member_get(space=me.space, membership_id=membership_id)
    return render(
        request,
        "identity/manage/member.html",
        {
            "me": me,
            "space": me.space,
            "member": member,
            "cards": space_cards_for(space=me.space, user=member.user),
            "role_form": RoleForm(initial={"role": member.role}),
        },
    )


@require_POST
def manage_member_role(request, membership_id):
    me = _manager(request, manager_only=True)
    member = space_member_get(space=me.space, membership_id=membership_id)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            membership_set_role(membership=member, role=form.cleaned_data["role"], by=request.user)
        except LastManagerError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Le rôle est enregistré."))
    return redirect("identity:space_member", membership_id=member.pk)


@require_http_methods(["GET", "POST"])
def manage_member_remove(request, membership_id):
    me = _manager(request, manager_only=True)
    member = space_member_get(space=me.space, membership_id=membership_id)
    if request.method == "POST":
        try:
            membership_remove(membership=member, by=request.user)
        except LastManagerError as error:
            messages.error(request, error.messages[0])
            return redirect("identity:space_member", membership_id=member.pk)
        messages.success(
            request,
            _("%(name)s n'a plus accès à l'espace.") % {"name": member.user},
        )
        return redirect("identity:space_manage")
    return render(request, "identity/manage/member_remove.html", {"member": member})


def _remember_card_link(request, member, device, card=None) -> None:
    request.session[CARD_SESSION_KEY] = {
        "membership": member.pk,
        "device": device.pk,
        "card": card.pk if card else None,
    }


@require_http_methods(["GET", "POST"])
def manage_card_physical(request, membership_id):
    """Link a physical card: its serial (only a card in stock), then a code read from it."""
    me = _manager(request)
    member = space_member_get(space=me.space, membership_id=membership_id)
    form = CardSerialForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        card = card_available(serial=form.cleaned_data["serial"])
        if card is None:
            form.add_error(
                "serial",
                _("Aucune carte disponible ne porte ce numéro. Vérifiez-le au dos de la carte."),
            )
        else:
            device = card_link_physical_start(membership=member, card=card)
            _remember_card_link(request, member, device, card)
            return redirect("identity:space_card_confirm", membership_id=member.pk)
    return render(request, "identity/manage/card_physical.html", {"form": form, "member": member})


@require_POST
def manage_card_digital(request, membership_id):
    """Start a digital card: a QR code on this screen, for the member's phone."""
    me = _manager(request)
    member = space_member_get(space=me.space, membership_id=membership_id)
    device = card_link_digital_start(membership=member)
    _remember_card_link(request, member, device)
    return redirect("identity:space_card_confirm", membership_id=member.pk)


@require_http_methods(["GET", "POST"])
def manage_card_confirm(request, membership_id):
    me = _manager(request)
    member = space_member_get(space=me.space, membership_id=membership_id)
    pending = request.session.get(CARD_SESSION_KEY) or {}
    device = None
    if pending.get("membership") == member.pk:
        device = TotpDevice.objects.filter(
            pk=pending.get("device"), user=member.user, space=me.space, confirmed_at=None
        ).first()
    if device is None:
        return redirect("identity:space_member", membership_id=member.pk)
    card = OtpCard.objects.filter(pk=pending.get("card")).first() if pending.get("card") else None
    form = CardCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        result = card_link_confirm(
            device=device,
            code=form.cleaned_data["code"],
            by=request.user,
            card=card,
            request=request,
        )
        if result == "ok":
            request.session.pop(CARD_SESSION_KEY, None)
            messages.success(
                request,
                _("La carte est associée à %(name)s.") % {"name": member.user},
            )
            return redirect("identity:space_member", membership_id=member.pk)
        if result == "next":
            form.add_error(
                "code",
                _(
                    "La carte semble décalée dans le temps. Attendez qu'elle affiche un "
                    "nouveau code, puis saisissez ce nouveau code."
                ),
            )
        else:
            form.add_error(
                "code", _("Ce code n'est pas le bon. Saisissez le code affiché maintenant.")
            )
    context = {"form": form, "member": member, "card": card, "device": device}
    if card is None:  # digital card: the QR code for the member's phone
        context["qr"] = segno.make(totp_provisioning_uri(device), error="m").svg_data_uri(
            scale=5, border=2
        )
        context["secret"] = totp_secret(device)
    return render(
        request, "identity/manage/card_confirm.html", context, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def manage_card_lost(request, device_id):
    """Report a card lost: unlinked at once, logged in the space's log and in the
    member's security log."""
    me = _manager(request)
    device = (
        TotpDevice.objects.filter(
            pk=device_id,
            space=me.space,
            kind=TotpDevice.Kind.CARD,
            confirmed_at__isnull=False,
            user__memberships__space=me.space,
        )
        .select_related("user")
        .first()
    )
    if device is None:
        raise Http404
    member = device.user.memberships.get(space=me.space)
    if request.method == "POST":
        card_report_lost(device=device, by=request.user, request=request)
        messages.success(
            request,
            _("La carte « %(label)s » est désactivée : elle ne permet plus de se connecter.")
            % {"label": device.label},
        )
        return redirect("identity:space_member", membership_id=member.pk)
    return render(request, "identity/manage/card_lost.html", {"device": device, "member": member})


def manage_log(request):
    me = _manager(request)
    page = Paginator(space_events_for(space=me.space), 50).get_page(request.GET.get("page"))
    return render(request, "identity/manage/log.html", {"space": me.space, "page": page})
