"""Files: the originals of assets and generations as they leave the server, and the links that reach them."""
