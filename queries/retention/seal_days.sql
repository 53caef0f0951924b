-- Seal $days (DATE[]) at $sealed_at: their salts are destroyed next, and later lines of them are merged.
UPDATE log_days SET sealed_at = $sealed_at WHERE list_contains($days::DATE[], day)
