"""The event log in GraphQL: the Event type, the events feed and the subscriptions."""
