"""Recording a live conversation into a spec that passes (``zmqprose record``).

The recorder stands where a link stands, a TCP relay in front of one tcp
endpoint (:mod:`~zmqprose.recording.relay`), and reads what passes: ZMTP 3.x
greetings, the NULL mechanism's READY metadata, frames and commands
(:mod:`~zmqprose.recording.zmtp`, kept per connection by
:mod:`~zmqprose.recording.conversation`). When it stops, it writes a feature
in which the spec plays each recorded client (:mod:`~zmqprose.recording.writer`):
values in their formats, markers where the service makes something new each
time (:mod:`~zmqprose.recording.values`), a second recording turning what
differs into markers (:mod:`~zmqprose.recording.again`), and a picture beside
it (:mod:`~zmqprose.recording.picture`). CURVE and PLAIN traffic is relayed,
never read.
"""
