"""Static files collection for production (served by whitenoise, hashed and compressed)."""

from django.contrib.staticfiles.apps import StaticFilesConfig


class GuichetStaticFilesConfig(StaticFilesConfig):
    # viewflow ships a CSS file for its Material front end (not mounted here) that refers to
    # fonts the package does not contain; the hashing storage would refuse to collect it.
    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "roboto-fontface.css"]
