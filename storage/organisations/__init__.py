"""Organisations, members and tokens over SQL: repositories, reads, row mapping."""
