"""The JSON API v1 (/api/v1): bearer tokens, JSON errors, the same services as the pages."""
