"""A worker: it pulls jobs, does them, and pushes back their results.

python worker.py JOBS RESULTS   (two addresses it connects to)
  JOBS     PULL  [ID, NAME]
  RESULTS  PUSH  [ID, "done: NAME"]
"""

import sys

import zmq


def main() -> None:
    context = zmq.Context()
    jobs, results = context.socket(zmq.PULL), context.socket(zmq.PUSH)
    jobs.connect(sys.argv[1])
    results.connect(sys.argv[2])
    while True:
        job, name = jobs.recv_multipart()
        results.send_multipart([job, b"done: " + name])


if __name__ == "__main__":
    main()
