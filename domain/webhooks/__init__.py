"""Webhooks for partner tools: subscriptions to event types, and their signed deliveries from the log."""
