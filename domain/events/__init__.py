"""The event log as an API: the organisation's activity feed, and live streams that resume by cursor."""
