"""Placements: where a library asset is used (a post, a page, a campaign), proposed then approved."""
