"""The pages of the core CRM. Thin: parse the form, call a service or selector, render."""
