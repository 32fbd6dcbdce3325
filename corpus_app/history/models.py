# The historical models are created here by HistoricalRecords(app="corpus_history") on each corpus model.
