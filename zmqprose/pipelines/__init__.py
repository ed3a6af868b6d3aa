"""Pipelines at full speed: a background pusher, a counting puller, and the run they make."""
