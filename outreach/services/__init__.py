"""Every write of the outreach engine: domains, mailboxes, sequences, enrollments, suppression."""
