"""AI personalization: grounded slot drafts from any OpenAI-compatible model, reviewed."""
