"""Files: originals rewritten without re-encoding (personal data out, XMP provenance in), kept to serve."""
