"""Trainers of the shipped models: the CRFs of the fast tiers (``attributions_crf``, ``propaganda_crf``;
scikit-learn and scipy) and the fine-tuned transformers of the accurate tiers (``*_transformer``; torch,
transformers). All of it needs the ``train`` extra; nothing at run time imports this package."""
