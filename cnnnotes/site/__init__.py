"""Tier 2: the site — every asset rendered from results, the build, and the MkDocs glue."""
