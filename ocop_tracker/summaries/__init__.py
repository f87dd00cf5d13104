"""Status summaries: what waits for each recipient, what is due and what changed; previews and the API."""
