"""What every feature shares: errors, access, events, pagination, text rules, media, outside ports."""
