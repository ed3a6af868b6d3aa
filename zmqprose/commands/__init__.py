"""Shell commands a spec runs: `run` (to its end) and `start` (in the background), their output and exit code."""
