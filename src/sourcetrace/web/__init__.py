"""The local web app and REST API over a ``Store`` (``create_app`` in ``app.py``)."""
