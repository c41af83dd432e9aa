"""The outside world: SQL tables, repositories and reads, migrations, blobs and images."""
