"""Events: IASSIST's annual conferences, regional workshops and joint meetings since 1974.

Modules: ``codes`` (fixed code lists and their labels), ``models`` (tables), ``loader``
(the bundled CSV data into the store), ``filters`` (query parameters into a validated
filter), ``queries`` (search, facet counts), ``views`` (pages), ``cli`` (commands).
"""
