"""Pelican, side by side with the archive on the same corpus (bench/run.py --pelican): one page
per text, per tag, per category (the year folders) and per author, indexes and feeds, with its
built-in 'simple' theme; front matter read by pelican-yaml-metadata. Needs, in its own
environment: pip install pelican==4.12.0 markdown pelican-yaml-metadata
"""

AUTHOR = "Benchmark"
SITENAME = "Benchmark"
SITEURL = ""
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS: list[str] = []
STATIC_PATHS: list[str] = []
PLUGINS = ["pelican.plugins.yaml_metadata"]
THEME = "simple"
LOAD_CONTENT_CACHE = False  # every run is a cold build
CACHE_CONTENT = False
