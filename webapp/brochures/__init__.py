"""The association's printed material as PDF, in the five languages of the site.

Two kinds of document (:data:`webapp.brochures.models.KINDS`): the tri-fold brochure
(A4 landscape, two pages of three panels) and the factsheet (one A4 portrait page). Both
are Jinja templates (``templates/brochures/``) rendered by WeasyPrint with the site's own
gettext catalogues, so the site and its brochures say the same thing in each language
(content: ``shared/data/brochure.md``, the association's 2013 brochure and 2016
factsheet).

- :mod:`.models`: the ``Document`` table, one row per (kind, locale).
- :mod:`.build`: building the PDFs (all, or only the stale ones), and the override by an
  official PDF supplied by the association.
- :mod:`.views`: the download route ``/<locale>/media/<kind>-<locale>.pdf``.
- :mod:`.media`: the About page's list of documents.
- :mod:`.cli`: ``flask --app wsgi build-brochures [--force]``.
"""
