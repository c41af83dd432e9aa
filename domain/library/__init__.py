"""The library: assets, folders, projects, tags, and saving generations into it."""
