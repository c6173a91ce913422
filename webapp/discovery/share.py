"""Facts of the share cards: the image every page shares, and the Open Graph locale of each
of the site's languages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ShareImage:
    """A static image for share cards: ``filename`` under ``static/``, its size in pixels.

    The image is the association's name drawn once by ``tools/make_share_image.py``
    (Pillow, the site's own font) and shipped as a static asset; the tests check that the
    file really has this size.
    """

    filename: str
    width: int
    height: int


#: 1200×630: the size Open Graph consumers (and Twitter's large summary card) ask for.
SHARE_IMAGE = ShareImage("img/share-card.png", 1200, 630)

#: Open Graph wants ``language_TERRITORY``. Portuguese is Brazilian Portuguese (the
#: catalogue's language); the other languages are written without a regional variety, so
#: they take the territory CLDR gives as their most likely one (``Locale.parse('fr')``
#: likely subtags: fr_FR, de_DE, es_ES, en_US).
OG_LOCALES = {"en": "en_US", "fr": "fr_FR", "de": "de_DE", "pt": "pt_BR", "es": "es_ES"}
