"""The event log in GraphQL: the `Event` type, the `events` feed, `activity` on every node, subscriptions."""
