"""The association's brochure and factsheet as PDF: its printed editions, and current
editions generated from the site's content in the five languages of the site.

Two kinds of document (:data:`webapp.brochures.models.KINDS`): the tri-fold brochure and
the factsheet. Each may have several editions: the association's printed editions (six
bundled unchanged, CC BY 4.0, and newer ones supplied in ``OFFICIAL_BROCHURE_DIR``) and
one current edition per language, a Jinja template (``templates/brochures/``) rendered by
WeasyPrint with the site's own gettext catalogues, so that the site and its documents say
the same thing in each language.

- :mod:`.models`: the ``Edition`` table (one row per edition) and ``PdfFile`` (the bytes).
- :mod:`.printed`: the bundled printed editions (manifest, checked byte for byte) and the
  supplied ones.
- :mod:`.render`: a current edition rendered to PDF (WeasyPrint, reproducible bytes).
- :mod:`.check`: what is checked before a PDF enters the store (pages, layout).
- :mod:`.store`: the one staleness rule, recording, syncing, rebuilding while serving.
- :mod:`.previews`: first-page preview images, made when an edition is recorded.
- :mod:`.views`: the download route and the previews' route.
- :mod:`.media`: the About page's list of editions.
- :mod:`.cli`: ``flask --app wsgi build-brochures [--force]``.

The association's own content both the About page and the documents show (links, the
members' shares and colours) is in :mod:`webapp.association`; the shared template
macros in ``templates/association/_content.html``.
"""
