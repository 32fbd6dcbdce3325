"""
Ingest: from a saved page or pasted text to a draft article and suggested quotes, saving nothing.

The pipeline reads (pages.py: HTML through trafilatura, text as a curator pastes it), cleans the page's
chrome line by line (cleaner.py), reads the metadata (metadata.py), finds the quotations (quotations.py),
names their speakers (people.py, attribution.py) and the visit they are about (visits.py). What it knows
of the corpus (experts, outlets, visits) comes from a Directory (directory.py), so the same pipeline runs
on the live database and, for `evaluate_ingest`, on the curated fixture alone. Saving what the curator
accepts is review.py's job, through the models' own rules.
"""
