"""Benchmarks: the engine alone (`engine.py`) and the server under load (`server_load.py`)."""
