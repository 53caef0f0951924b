-- The consent flag kept with each inquiry (rows without consent are never loaded, so it records the basis on
-- which a row is held, next to the policy version it was given to).
ALTER TABLE inquiries ADD COLUMN consent BOOLEAN DEFAULT true;
