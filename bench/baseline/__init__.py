"""A bare Django project, the yardstick of the HTTP benchmark (bench/http.py).

One view without the database (``/hello``) and one indexed lookup of a demande by number
rendering a small template (``/lookup/<number>``), on the portal's own database, with
DEBUG off, persistent connections and no middleware.
"""
