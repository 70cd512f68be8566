"""One module per area: auth (sign-in), pages (HTML), api (JSON under /api/v1)."""
