"""Bytes on disk: the content-addressed blob store and the upload spool."""
