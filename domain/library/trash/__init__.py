"""The trash: trashed assets leave every list but the trash, come back on restore, and are purged
(rows, links, storage, then files) by hand or after the retention window."""
