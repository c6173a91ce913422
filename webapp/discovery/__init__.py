"""How the site is found and shared: ``/sitemap.xml``, ``/robots.txt`` and the facts of
its share cards (Open Graph and Twitter tags, rendered by ``templates/base.html``).

Modules: ``share`` (share-card image and Open Graph locales), ``sitemap`` (the public pages
and the sitemap document), ``views`` (the two routes and template globals).
"""
