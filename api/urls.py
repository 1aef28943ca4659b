"""The API (/api/…) and the démarche administrators' pages for its tokens and webhooks
(/administration/…, a staff area registered in apps.py)."""

app_name = "api"

urlpatterns = []
