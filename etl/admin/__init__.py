"""Running the product as a company does: the account lifecycle (lifecycle): disable, enable, remove, change
role, reset, unlock, with the audit entry and the rights requests an account owned. May import: core, access,
compliance."""
