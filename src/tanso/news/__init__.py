"""News about VCM projects: configured RSS/Atom feeds → stored, de-duplicated, linked items.

Pure functions, no Panel and no database writes (the `news` pipeline notebook writes):

- `feeds`   the feed list (catalog/feeds.yaml) and fetching one feed: a timeout, a size cap and
            conditional GET (ETag / Last-Modified remembered per feed in core.news_feeds);
- `items`   parsing with feedparser, normalising (title, link, published, summary) to plain text,
            the stable key and content hash, de-duplication;
- `links`   which VCM projects an item mentions, by canonical id or by a distinctive exact name;
- `queries` what the pages read.
"""
