"""Lead export: any filtered set or list of leads as a CSV Excel opens cleanly."""
