"""Events: IASSIST's annual conferences, regional workshops and joint meetings since 1974.

Each fact has one home here:

- ``codes``: every code list and its translatable labels (kinds, formats, statuses and the
  statuses a badge shows, regions), the kinds' grammatical gender for composed ordinals,
  the country → region table (``data/country_regions.csv``, checked against the regions).
- ``timing``: upcoming / ongoing / past, one rule evaluated in Python and compiled to SQL.
- ``models``: the tables; their CHECK constraints come from ``codes``.
- ``loader``: the bundled CSV data into the store (all or nothing).
- ``filters``: the browser's query parameters into a validated filter and back.
- ``queries``: search, ordering, facet counts, the lists of the Conferences page.
- ``display``: how an event reads in the page's locale (texts, composed labels, place).
- ``views``: the event browser and the event pages, and the template globals of the
  domain; ``templates/events/_event.html`` holds the event card, facts block, Theme line
  and badges as macros.
- ``cli``: ``load-events``, and the bundled events as the store's data for ``reset-db``.
"""
