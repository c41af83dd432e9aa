"""The event log over SQL: reads by cursor, the sequencer, retention, and the live feed."""
