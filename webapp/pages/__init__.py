"""The association's pages: Home, About, Conferences, and the redirect from ``/``."""
