"""The instructor's notification preferences and absence (ADR 0407)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from workflows import selectors, services
from workflows.forms import PreferencesForm
from workflows.notifications import preferences_of

from .common import instructor_required


@instructor_required
def preferences(request):
    user = request.user
    colleagues = [c for c in selectors.colleagues_of(user) if c.pk != user.pk]
    current = preferences_of(user)
    initial = {
        "new_case": current.new_case,
        "reply": current.reply,
        "deadline": current.deadline,
        "paused_until": current.paused_until,
        "delegate": current.delegate_id,
    }
    form = PreferencesForm(request.POST or None, initial=initial, colleagues=colleagues)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        delegate = next((c for c in colleagues if c.pk == data["delegate"]), None)
        try:
            _saved, moved = services.instructor_preferences_update(
                user=user,
                new_case=data["new_case"],
                reply=data["reply"],
                deadline=data["deadline"],
                paused_until=data["paused_until"],
                delegate=delegate,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Vos préférences sont enregistrées."))
            if moved:
                name = delegate.get_full_name() or delegate.email
                messages.info(
                    request,
                    ngettext(
                        "%(n)d dossier confié à %(name)s.",
                        "%(n)d dossiers confiés à %(name)s.",
                        moved,
                    )
                    % {"n": moved, "name": name},
                )
            return redirect("workflows:preferences")
    return render(request, "workflows/preferences.html", {"form": form})
