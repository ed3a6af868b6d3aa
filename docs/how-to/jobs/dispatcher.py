"""A job dispatcher: clients submit jobs, workers do them, clients ask how they are.

python dispatcher.py REQUESTS JOBS RESULTS EVENTS   (four addresses it binds)
  REQUESTS  REP   SUBMIT NAME -> ACCEPTED ID;  STATUS ID -> WAITING ID, or DONE ID RESULT
  JOBS      PUSH  each job, [ID, NAME], to the next worker (kept until a worker is there)
  RESULTS   PULL  a worker's [ID, RESULT]
  EVENTS    PUB   [job.done, ID] when a job's result came
"""

import sys

import zmq


def main() -> None:
    context = zmq.Context()
    requests, jobs, results, events = (context.socket(kind) for kind in (zmq.REP, zmq.PUSH, zmq.PULL, zmq.PUB))
    for socket, address in zip((requests, jobs, results, events), sys.argv[1:5], strict=True):
        socket.bind(address)
    names: dict[str, str] = {}  # job id -> its name
    done: dict[str, str] = {}  # job id -> its result
    waiting: list[list[bytes]] = []  # jobs no worker has taken yet
    while True:
        poller = zmq.Poller()
        poller.register(requests, zmq.POLLIN)
        poller.register(results, zmq.POLLIN)
        if waiting:
            poller.register(jobs, zmq.POLLOUT)  # a PUSH with no worker would block: send when one is there
        for socket, _ in poller.poll():
            if socket is jobs:
                jobs.send_multipart(waiting.pop(0))
            elif socket is results:
                job, result = (frame.decode() for frame in results.recv_multipart())
                done[job] = result
                events.send_multipart([b"job.done", job.encode()])
            else:
                requests.send_multipart([frame.encode() for frame in answer(requests.recv_multipart(), names, done,
                                                                            waiting)])


def answer(request: list[bytes], names: dict[str, str], done: dict[str, str], waiting: list[list[bytes]]) -> list[str]:
    """The answer to a client's request; a job submitted waits for a worker."""
    command, *arguments = [frame.decode() for frame in request] or [""]
    if command == "SUBMIT" and len(arguments) == 1:
        job = str(len(names) + 1)
        names[job] = arguments[0]
        waiting.append([job.encode(), arguments[0].encode()])
        return ["ACCEPTED", job]
    if command == "STATUS" and len(arguments) == 1 and arguments[0] in names:
        job = arguments[0]
        return ["DONE", job, done[job]] if job in done else ["WAITING", job]
    return ["ERROR", f"unknown command {command}"]


if __name__ == "__main__":
    main()
