"""Readers of gold corpora (PolNeAR, the Propaganda Techniques Corpus, the who-says-so attribution gold),
shared by trainers and scorers."""
