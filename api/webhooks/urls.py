"""A démarche administrator's webhook endpoints: /administration/demarches/<slug>/webhooks/."""

app_name = "webhooks"

urlpatterns = []
