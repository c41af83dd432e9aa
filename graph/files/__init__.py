"""Files: `GET /files/...`, the signed links the schema hands out, and the HTTP details of serving bytes."""
