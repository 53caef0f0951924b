"""What people read: the reports over the warehouse (reports), each role's summary that the Overview page, `vcar
overview` and the e-mail digest render (overview, digest), and the one formatting layer of figures, tables and
charts (formatting, charts). May import: core, access, compliance, ingest, geoip."""
