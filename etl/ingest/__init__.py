"""Files in, warehouse out: access logs (logs), the contact form's exports (inquiries). May import: core,
compliance (the audit chain, subject keys, retention)."""
