"""Contact-form submissions: import an export into the inquiries table (ingest), placing each on a country,
province and district (regions), so the funnel can be read by region."""
