"""Webhooks over SQL and HTTP: their rows and the outbox's claims, reads, and the guarded sender."""
