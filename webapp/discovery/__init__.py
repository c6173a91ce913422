"""How the site is found and shared: ``/sitemap.xml`` (an index of one sitemap per
section), ``/robots.txt`` and the facts of its share cards (Open Graph and Twitter tags,
rendered by ``templates/base.html``).

Modules: ``share`` (share-card image and Open Graph locales), ``sitemap`` (the public pages
by section, the index and the sitemaps), ``views`` (the routes and template globals).
"""
