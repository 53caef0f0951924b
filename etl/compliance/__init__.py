"""What the privacy policy promises and the law requires: the data-subject rights register (rights) and its
deadlines (deadlines), subject keys (subjects), export and erasure of one subject (subject_rights), the audit
chain (audit), the record of processing (inventory), retention and sealing (retention), and the policy's
promises checked against the warehouse (promises)."""
