-- Inquiries placed from a gazetteer (etl/ingest/inquiries/regions.py): China's prefecture or county as its adcode, so the
-- funnel can be read by district within a province; data-quality findings say in which country and, for an
-- ambiguous name, which places it could be.
ALTER TABLE inquiries ADD COLUMN adcode VARCHAR;         -- China: 6-digit adcode (GB/T 2260) of the prefecture or county placed
ALTER TABLE data_quality ADD COLUMN country VARCHAR;     -- ISO 3166-1 of the row a place finding is about
ALTER TABLE data_quality ADD COLUMN candidates VARCHAR;  -- an ambiguous name's places: region codes or adcodes, comma-separated
