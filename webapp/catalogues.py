"""The translation workflow: extract, update, compile and check the gettext catalogues.

``translations/<locale>/LC_MESSAGES/messages.po`` holds each catalogue (fr, de, pt, es;
English is the source language). Commands (``flask --app wsgi translate …``, wrapped by
the Makefile):

- ``extract``: collect every message of ``webapp/`` and ``templates/`` into
  ``translations/messages.pot`` (pybabel, ``babel.cfg``; keywords for ``_l``,
  ``lazy_gettext``, ``ngettext`` and ``lazy_ngettext``).
- ``update``: extract, then merge the template into each catalogue (new messages appear
  untranslated, changed ones fuzzy).
- ``compile``: write the ``.mo`` files the site reads (done by ``make setup``; never
  committed).
- ``check``: fail on any untranslated or fuzzy message, a catalogue older than the code
  and templates (a message the code uses that the catalogue lacks, or one it holds that
  the code no longer uses), a translation that drops or adds a format placeholder, or one
  that renders a concept otherwise than the glossary (``translations/glossary.csv``, see
  :mod:`webapp.glossary`).

:func:`register_commands` adds them to the app's CLI.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import click
from babel import Locale
from babel.messages.catalog import Message
from babel.messages.pofile import read_po, write_po
from flask import Flask

from webapp.config import PROJECT_ROOT
from webapp.glossary import GLOSSARY_LANGUAGES, glossary_violations
from webapp.i18n import DEFAULT_LOCALE, LOCALES

TRANSLATIONS = PROJECT_ROOT / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
#: Who keeps the catalogues, written in their headers (not a person's e-mail address).
TRANSLATION_TEAM = "IASSIST website team <https://iassistdata.org/>"
KEYWORDS = ["_l", "lazy_gettext", "ngettext:1,2", "lazy_ngettext:1,2"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]")


def catalogue_path(locale: str) -> Path:
    """``translations/<locale>/LC_MESSAGES/messages.po``."""
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def _pybabel(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=PROJECT_ROOT
    )


def extract(output: Path = TEMPLATE) -> Path:
    """Extract every message into the template ``output`` (a .pot file).

    Raises:
        subprocess.CalledProcessError: pybabel failed.
    """
    args = [
        "extract",
        "-F",
        "babel.cfg",
        "--no-location",
        "--sort-output",
        "--add-comments",
        "Translators:",
        "--project",
        "IASSIST website",
        "--version",
        _project_version(),
        "--copyright-holder",
        "IASSIST",
        "--msgid-bugs-address",
        "https://iassistdata.org/",
        "-o",
        str(output),
    ]
    for keyword in KEYWORDS:
        args += ["-k", keyword]
    _pybabel("-q", *args, ".")
    _set_header(output)
    return output


def _project_version() -> str:
    """The ``version`` of ``pyproject.toml``, for the catalogues' Project-Id-Version."""
    with open(PROJECT_ROOT / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["project"]["version"]


def _set_header(path: Path, locale: str | None = None) -> None:
    """Write the header of the catalogue at ``path`` (of ``locale``; None for the
    template): what it is, its version, who keeps it, in place of the ``FULL NAME
    <EMAIL@ADDRESS>`` and ``VERSION`` placeholders pybabel leaves there."""
    with path.open("rb") as fh:
        catalogue = read_po(fh, locale=locale)
    what = (
        f"{Locale.parse(locale).get_display_name(DEFAULT_LOCALE)} catalogue"
        if locale
        else "Message template (translations/messages.pot)"
    )
    catalogue.header_comment = (
        f"# {what} of the IASSIST website.\n"
        "# Copyright (C) IASSIST\n"
        "# This file is distributed under the same license as the IASSIST website project."
    )
    catalogue.version = _project_version()
    if locale:
        catalogue.last_translator = TRANSLATION_TEAM
        catalogue.language_team = TRANSLATION_TEAM
    with path.open("wb") as fh:
        write_po(fh, catalogue, width=0, sort_output=True, omit_header=False, ignore_obsolete=True)


def update() -> None:
    """Extract, then merge the template into every catalogue (creating missing ones)."""
    extract()
    for locale in LOCALES:
        if locale == DEFAULT_LOCALE:
            continue
        if catalogue_path(locale).exists():
            _pybabel(
                "update",
                "-i",
                str(TEMPLATE),
                "-d",
                str(TRANSLATIONS),
                "-l",
                locale,
                "--no-wrap",
                "--ignore-obsolete",
            )
        else:
            _pybabel(
                "init", "-i", str(TEMPLATE), "-d", str(TRANSLATIONS), "-l", locale, "--no-wrap"
            )
        _set_header(catalogue_path(locale), locale)


def compile_catalogues() -> None:
    """Compile every catalogue to its ``.mo`` file."""
    _pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")


@dataclass
class CatalogueReport:
    """The state of one catalogue: ``messages`` (int), and lists of msgids that are
    ``untranslated``, ``fuzzy``, ``missing`` (in the code, not the catalogue), ``stale``
    (in the catalogue, no longer in the code) or have ``placeholder_errors``; and the
    ``glossary`` violations (str, one per concept and message: :mod:`webapp.glossary`)."""

    locale: str
    messages: int = 0
    untranslated: list[str] = field(default_factory=list)
    fuzzy: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    placeholder_errors: list[str] = field(default_factory=list)
    glossary: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is untranslated, fuzzy, missing, stale or broken."""
        return not (
            self.untranslated
            or self.fuzzy
            or self.missing
            or self.stale
            or self.placeholder_errors
            or self.glossary
        )


def _key(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def _placeholders(text: str) -> list[str]:
    return sorted(m.group(0) for m in PLACEHOLDER.finditer(text))


def check_catalogue(locale: str, template_text: str) -> CatalogueReport:
    """Compare catalogue ``locale`` with a freshly extracted template (its text).

    Raises:
        OSError: the catalogue does not exist.
    """
    template = read_po(io.StringIO(template_text))
    with open(catalogue_path(locale), encoding="utf-8") as fh:
        catalogue = read_po(fh, locale=locale)
    report = CatalogueReport(locale)
    wanted = {_key(m) for m in template if m.id}
    have = {}
    for message in catalogue:
        if not message.id:
            continue
        have[_key(message)] = message
    report.messages = len(have)
    report.missing = sorted(wanted - have.keys())
    report.stale = sorted(have.keys() - wanted)
    for key, message in have.items():
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if message.fuzzy:
            report.fuzzy.append(key)
        if not all(strings):
            report.untranslated.append(key)
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else [message.id]
        expected = _placeholders(ids[-1] or "")
        for s in strings:
            # A plural form may leave the number out ("un événement"), nothing else.
            got = _placeholders(s or "")
            if got != expected and not (len(ids) > 1 and set(got) <= set(expected)):
                report.placeholder_errors.append(key)
                break
    if locale in GLOSSARY_LANGUAGES:
        pairs = [(_key(m), _strings(m)) for m in have.values() if not m.fuzzy]
        report.glossary = [str(v) for v in glossary_violations(pairs, locale)]
    return report


def _strings(message: Message) -> list[str]:
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return [s or "" for s in strings]


def check_all() -> list[CatalogueReport]:
    """Check every translated locale against a fresh extraction of the code."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        pot = extract(Path(tmp) / "messages.pot")
        template_text = pot.read_text(encoding="utf-8")
    return [
        check_catalogue(locale, template_text) for locale in LOCALES if locale != DEFAULT_LOCALE
    ]


def register_commands(app: Flask) -> None:
    """Add ``flask translate extract|update|compile|check`` to ``app.cli``."""

    @app.cli.group("translate")
    def translate() -> None:
        """Translation workflow: extract, update, compile, check."""

    @translate.command("extract")
    def extract_command() -> None:
        """Extract the messages into translations/messages.pot."""
        click.echo(f"Template written: {extract()}")

    @translate.command("update")
    def update_command() -> None:
        """Extract, then merge new and changed messages into every catalogue."""
        update()

    @translate.command("compile")
    def compile_command() -> None:
        """Compile the catalogues to .mo files."""
        compile_catalogues()

    @translate.command("check")
    def check_command() -> None:
        """Fail on untranslated, fuzzy, missing, stale or placeholder-breaking messages, or
        on a rendering the glossary (translations/glossary.csv) does not give."""
        failed = False
        for report in check_all():
            click.echo(
                f"{report.locale}: {report.messages} messages, {len(report.untranslated)} "
                f"untranslated, {len(report.fuzzy)} fuzzy, {len(report.missing)} missing, "
                f"{len(report.stale)} stale, {len(report.placeholder_errors)} placeholder errors, "
                f"{len(report.glossary)} glossary violations"
            )
            names = ("untranslated", "fuzzy", "missing", "stale", "placeholder_errors", "glossary")
            for name in names:
                for msgid in getattr(report, name)[:20]:
                    click.echo(f"  {name}: {msgid!r}")
            failed |= not report.ok
        if failed:
            raise click.ClickException("the catalogues are not complete")
