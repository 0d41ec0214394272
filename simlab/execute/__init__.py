"""The Execute agent: Claude writes a solver module, simlab runs it confined and certifies it.

- :mod:`simlab.execute.coder`: :class:`ClaudeCoder` (structured output: code, method, order)
  and :class:`ReplayCoder` (the same code path answered from an inference log);
- :mod:`simlab.execute.session`: up to three rounds of write -> sandbox -> certify, the
  certificate's reasons going back to the model; the bundle; the byte-exact replay.
"""

from simlab.execute.coder import ClaudeCoder, ReplayCoder, SolverAttempt
from simlab.execute.session import Round, SolveSession, replay_bundle, run_session, write_session

__all__ = [
    "ClaudeCoder",
    "ReplayCoder",
    "Round",
    "SolveSession",
    "SolverAttempt",
    "replay_bundle",
    "run_session",
    "write_session",
]
