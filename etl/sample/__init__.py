"""Sample data for the demo and the tests: access logs, contact-form exports and rights requests from a seeded
generator (generate) over made-up networks in real GeoLite2 blocks (networks). Never used on real data."""
