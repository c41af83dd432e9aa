"""The GraphQL face of finding assets: `assets(filter, search, sort)`, facets, `assetBySha256`."""
