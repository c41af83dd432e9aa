"""Organisations, their members, API tokens and policies."""
