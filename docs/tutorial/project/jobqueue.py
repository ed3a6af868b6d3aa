"""A small job queue, the service of the tutorial: it takes jobs on a REP socket.

python jobqueue.py tcp://127.0.0.1:5555
  SUBMIT NAME  ->  ACCEPTED ID
"""

import sys

import zmq


def main() -> None:
    socket = zmq.Context().socket(zmq.REP)
    socket.bind(sys.argv[1])
    jobs: dict[str, str] = {}  # job id -> its name
    while True:
        command, *arguments = [frame.decode() for frame in socket.recv_multipart()] or [""]
        if command == "SUBMIT" and len(arguments) == 1:
            job = str(len(jobs) + 1)
            jobs[job] = arguments[0]
            socket.send_multipart([b"ACCEPTED", job.encode()])
        else:
            socket.send_multipart([b"ERROR", f"unknown command {command}".encode()])


if __name__ == "__main__":
    main()
