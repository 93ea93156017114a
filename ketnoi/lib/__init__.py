"""Pure helpers that know nothing of requests, models or settings."""
