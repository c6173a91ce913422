"""Fixed code lists of the programme domain and their translatable labels.

Session types are the six the association's programme files use (``sessionType``:
Papers, Panel, Plenary, Workshop, Pecha Kucha, Posters), stored as codes; sessions whose
file gives no type have none (NULL), shown as not recorded.
"""

from __future__ import annotations

from pathlib import Path

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_babel.speaklater import LazyString

DATA_DIR = Path(__file__).resolve().parent / "data"

#: session type code -> label (a facet option and the session's type on its page)
SESSION_TYPES = {
    "papers": _l("Papers"),
    "panel": _l("Panel"),
    "plenary": _l("Plenary"),
    "workshop": _l("Workshop"),
    # Translators: a session format of 20 slides shown for 20 seconds each; a proper name.
    "pecha_kucha": _l("Pecha Kucha"),
    "posters": _l("Posters"),
}

#: The licence credit every page showing programme data carries (the association's
#: terms for its programme files: CC BY 4.0, credit "IASSIST, iassistdata.org").
CREDIT = "IASSIST, iassistdata.org, CC BY 4.0"
CREDIT_URL = "https://creativecommons.org/licenses/by/4.0/"


def talks_count_label(count: int) -> LazyString:
    """The "1 talk" / "N talks" in the page's locale (a lazy ngettext message)."""
    return lazy_ngettext("%(num)d talk", "%(num)d talks", count)
