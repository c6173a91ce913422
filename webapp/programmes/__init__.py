"""The programme archive: sessions and presentations of the annual conferences 2000–2025
(from the association's programme files, CC BY 4.0 by IASSIST), their people, the pages
and the full-text search across years.

Modules: ``codes`` (session types), ``models`` (tables), ``sanitize`` (the one place
untrusted markup is cleaned), ``loader`` (bundled data → store, all or nothing),
``search`` (one query interface over SQLite FTS5 and PostgreSQL full-text search),
``filters`` (the search page's parameters), ``views``; data in ``data/``.
"""
