"""What bounds a request before it runs: the shape of the document and its cost."""
