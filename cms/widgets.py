"""Admin widgets that run under the portal's Content-Security-Policy (ADR 0203)."""

import json

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.admin.widgets import AdminPageChooser

# What json_script escapes, so that the data cannot close its <script> element.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


class PageChooser(AdminPageChooser):
    """Wagtail's page chooser of a plain form field (a snippet's foreign key to a page),
    without its inline ``new PageChooser(…)`` script, which our CSP blocks: the arguments
    are left in a non-executable JSON element and cms/admin/init.js makes the same call."""

    def render(self, name, value, attrs=None, renderer=None):
        id_ = attrs["id"]
        value_data = self.get_value_data(value)
        options = self.get_js_init_options(id_, name, value_data)
        data = json.dumps([id_, json.dumps(options)]).translate(JSON_SCRIPT_ESCAPES)
        return format_html(
            '{}<script type="application/json" data-guichet-admin-init="PageChooser">{}</script>',
            self.render_html(name, value_data, attrs),
            mark_safe(data),  # noqa: S308 - JSON with <, > and & escaped, as json_script does
        )
