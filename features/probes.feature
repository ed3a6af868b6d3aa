Feature: Probes: an app that still answers
  "is still running" checks the process that zmqprose started, and no more:
  a service whose workers died while its front end lives still runs. An
  app's probe is a request it must answer (its settings' "probe"): "still
  answers" sends it on a fresh socket and checks the answer, and
  "ready": {"probe": true} makes the app ready only once it is answered.

  frontman is a ROUTER front end that hands every request to a worker
  process; its probe is a msgpack {"cmd": "ping"} on a REQ socket, answered
  with {"ret": "pong", "worker": PID}.

  Scenario: an app that is ready when its probe is answered still answers later
    Given frontman is running
    Then frontman still answers
    And frontman still answers within 2 seconds
    And frontman is still running

  Scenario: the probe asks what any client may ask
    Given frontman is running
    When I connect a REQ socket to frontman's front port
    And I send the msgpack message to frontman's front port:
      """
      {"cmd": "ping"}
      """
    Then I receive a msgpack message from frontman's front port matching:
      """
      {"ret": "pong", "worker": "#number"}
      """
    And frontman still answers
