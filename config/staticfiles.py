"""Static files collection for production (served by whitenoise, hashed and compressed)."""

from django.contrib.staticfiles import finders

# viewflow ships a CSS file for its Material front end (not mounted here) that refers to
# fonts the package does not contain; the hashing storage would refuse to collect it.
NOT_COLLECTED = ["roboto-fontface.css"]


class AppDirectoriesFinder(finders.AppDirectoriesFinder):
    """Django's finder of apps' ``static/`` folders, leaving out NOT_COLLECTED."""

    def list(self, ignore_patterns):
        return super().list([*(ignore_patterns or []), *NOT_COLLECTED])
