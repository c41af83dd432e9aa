"""Processing's adapters: the SQL job queue and reads, and the process pool that renders images."""
