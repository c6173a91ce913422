"""A git merge driver for gettext catalogues (``.po``/``.pot``): a three-way merge by msgid.

Branches that each add messages to the same catalogue conflict line by line in git's
text merge, although their changes rarely touch the same message. This driver merges the
catalogues as sets of messages instead:

- a message added on one side is kept; one removed on one side (and unchanged on the
  other) is removed;
- a message changed on one side only takes that side's translation and flags;
- a header (``Plural-Forms``, ``Language``…) changed on one side only takes that side's value;
- a message changed differently on both sides keeps ours and is marked fuzzy, so the
  catalogue check (``flask --app wsgi translate check``) fails until a person decides.

Run ``flask --app wsgi translate update`` after a merge to put the messages back in the
order of the code. Set it up once per clone::

    git config merge.po.name "gettext catalogue merge by msgid"
    git config merge.po.driver "python3 tools/po_merge.py %O %A %B"

(``.gitattributes`` assigns ``*.po`` and ``*.pot`` to it.) Without that configuration git
falls back to its text merge.

Usage: ``po_merge.py BASE OURS THEIRS``; the result is written over OURS. Exit status 0
when merged (fuzzy marks included), 1 when a file cannot be read.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po


def _read(path: str) -> Catalog:
    with open(path, "rb") as fh:
        return read_po(fh, abort_invalid=False)


def _key(message: Message) -> tuple[str | tuple[str, ...], str | None]:
    ident = message.id
    return (ident if isinstance(ident, str) else tuple(ident), message.context)


def _same(a: Message | None, b: Message | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.string == b.string and a.fuzzy == b.fuzzy


def _put(catalog: Catalog, message: Message) -> None:
    """Put ``message`` in ``catalog``, replacing any message with its msgid and context
    (``Catalog.__setitem__`` would merge flags and keep the old translation)."""
    if catalog.get(message.id, context=message.context) is not None:
        catalog.delete(message.id, context=message.context)
    catalog[message.id] = message


def _merge_headers(base: Catalog, ours: Catalog, theirs: Catalog) -> None:
    """Take each header (``Plural-Forms``, ``Language``, …) that only theirs changed."""
    old = dict(base.mime_headers)
    mine = dict(ours.mime_headers)
    for name, value in theirs.mime_headers:
        if mine.get(name) == old.get(name) and value != old.get(name):
            mine[name] = value
    ours.mime_headers = list(mine.items())


def merge(base: Catalog, ours: Catalog, theirs: Catalog) -> Catalog:
    """The three-way merge of ``ours`` and ``theirs`` (see the module docstring); ours
    keeps its header and order, messages only theirs has are appended."""
    _merge_headers(base, ours, theirs)
    index_base = {_key(m): m for m in base if m.id}
    index_ours = {_key(m): m for m in ours if m.id}
    index_theirs = {_key(m): m for m in theirs if m.id}
    for key, message in index_theirs.items():
        mine = index_ours.get(key)
        old = index_base.get(key)
        if mine is None:
            if old is None or not _same(old, message):
                _put(ours, message)  # added (or changed) by theirs only
            continue
        if _same(mine, message) or _same(old, message):
            continue
        if _same(old, mine):
            _put(ours, message)
        else:
            mine.flags.add("fuzzy")
    for key, mine in index_ours.items():
        if key not in index_theirs and key in index_base and _same(index_base[key], mine):
            ours.delete(mine.id, context=mine.context)  # removed by theirs
    return ours


def main(argv: list[str]) -> int:
    """Entry point: ``po_merge.py BASE OURS THEIRS``."""
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        base, ours, theirs = (_read(p) for p in argv)
    except (OSError, ValueError) as error:
        print(f"po_merge: {error}", file=sys.stderr)
        return 1
    merged = merge(base, ours, theirs)
    with open(Path(argv[1]), "wb") as fh:
        write_po(fh, merged, width=0, sort_output=True, omit_header=False, ignore_obsolete=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
