"""Reinforcement learning on Norm Arena: the game as a PettingZoo AEC environment.

Needs the optional "rl" extra (pettingzoo, gymnasium, numpy):

    from rl import env

    arena = env("classroom-quick")
    arena.reset(seed=42)
    for seat in arena.agent_iter():
        observation, reward, terminated, truncated, info = arena.last()
        ...
"""

from rl.environment import MAX_ACTIONS, NormArenaEnv, env

__all__ = ["MAX_ACTIONS", "NormArenaEnv", "env"]
