"""Webhooks in GraphQL: `webhooks`, the Webhook type and its deliveries, and the admin's mutations."""
