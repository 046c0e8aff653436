"""Norm Arena's game server: the engine's games over websockets, every bit of state in Redis."""
