"""The public API (REST, /api/v1/) and the webhooks that services' own systems use."""
