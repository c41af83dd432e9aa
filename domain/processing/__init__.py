"""Processing: the durable job queue, and what a job makes of an image (renditions and facts)."""
