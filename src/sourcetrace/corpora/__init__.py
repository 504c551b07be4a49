"""Readers of gold corpora (PolNeAR, the Propaganda Techniques Corpus), shared by trainers and scorers."""
