"""The GraphQL face of processing: processing status, facts and renditions, and reprocessAssets."""
