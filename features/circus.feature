Feature: circus, a real process supervisor driven over ZeroMQ
  circusd runs watchers (groups of processes) and is driven by JSON commands
  on a ROUTER control endpoint: {"id", "command", "properties"} in one frame,
  answered in one frame with a "status", a "time" and the same "id". What
  happens to a watcher is published on a PUB endpoint, one multipart message
  [topic, JSON] per event under "watcher.NAME.EVENT", and circusd-stats
  publishes the processes' statistics on a third. zmqprose starts circusd
  afresh for each scenario, with a configuration written from a template, on
  free ports of 127.0.0.1, watching one harmless sleeper. circusd is ready
  when its probe, a start of the sleeper (already running: nothing to do),
  is answered "ok": its control port listens before its watchers are
  started, and a stop or an incr sent meanwhile is refused with "arbiter is
  already running arbiter_start_watchers command".

  Background:
    Given circusd is running
    And I connect a DEALER socket to circusd's control port

  Scenario: the watchers are listed, circusd-stats among them
    When I send the JSON message to circusd's control port:
      """
      {"id": "list-1", "command": "list", "properties": {}}
      """
    Then I receive a JSON message from circusd's control port matching:
      """
      {"id": "list-1", "status": "ok", "time": "#number", "watchers": ["circusd-stats", "sleeper"]}
      """

  Scenario: the sleeper is active, with one process
    When I send the JSON message to circusd's control port:
      """
      {"id": "status-1", "command": "status", "properties": {"name": "sleeper"}}
      """
    Then I receive a JSON message from circusd's control port matching:
      """
      {"id": "status-1", "status": "active", "time": "#number"}
      """
    When I send the JSON message to circusd's control port:
      """
      {"id": "pids-1", "command": "list", "properties": {"name": "sleeper"}}
      """
    Then I receive a JSON message from circusd's control port matching:
      """
      {"id": "pids-1", "status": "ok", "time": "#number", "pids": ["#number"]}
      """

  Scenario: a stopped watcher says so, on the control port and on the events endpoint
    Given I connect a SUB socket to circusd's pubsub port subscribed to "watcher.sleeper."
    And circusd's pubsub port becomes connected within 5 seconds
    When I send the JSON message to circusd's control port:
      """
      {"id": "stop-1", "command": "stop", "properties": {"name": "sleeper", "waiting": true}}
      """
    Then I receive a JSON message from circusd's control port within 10 seconds matching:
      """
      {"id": "stop-1", "status": "ok", "time": "#number", "info": null}
      """
    And I eventually receive a JSON message from circusd's pubsub port within 10 seconds with the envelope ["watcher.sleeper.stop"] matching:
      """
      {"time": "#number"}
      """
    When I send the JSON message to circusd's control port:
      """
      {"id": "status-2", "command": "status", "properties": {"name": "sleeper"}}
      """
    Then I receive a JSON message from circusd's control port matching:
      """
      {"id": "status-2", "status": "stopped", "time": "#number"}
      """

  Scenario: incr adds a process to the watcher
    Given I connect a SUB socket to circusd's pubsub port subscribed to "watcher.sleeper.spawn"
    And circusd's pubsub port becomes connected within 5 seconds
    When I send the JSON message to circusd's control port:
      """
      {"id": "incr-1", "command": "incr", "properties": {"name": "sleeper", "nb": 2, "waiting": true}}
      """
    Then I receive a JSON message from circusd's control port within 10 seconds matching:
      """
      {"id": "incr-1", "status": "ok", "time": "#number", "numprocesses": 3}
      """
    And I receive a JSON message from circusd's pubsub port with the envelope ["watcher.sleeper.spawn"] matching:
      """
      {"process_pid": "#number", "time": "#number"}
      """
    When I send the JSON message to circusd's control port:
      """
      {"id": "count-1", "command": "numprocesses", "properties": {"name": "sleeper"}}
      """
    Then I receive a JSON message from circusd's control port matching:
      """
      {"id": "count-1", "status": "ok", "time": "#number", "numprocesses": 3, "watcher_name": "sleeper"}
      """

  Scenario: a command circus does not know gets circus's own error
    When I send the JSON message to circusd's control port:
      """
      {"id": "bad-1", "command": "explode", "properties": {}}
      """
    Then I receive a JSON message from circusd's control port matching:
      """
      {"id": "bad-1", "status": "error", "reason": "unknown command: 'explode'", "errno": 2, "tb": null,
       "time": "#number"}
      """
    And circusd is still running

  Scenario: circusd-stats publishes the sleeper's statistics, each second
    Given I connect a SUB socket to circusd's stats port subscribed to "stat.sleeper"
    Then I eventually receive a JSON message from circusd's stats port within 10 seconds with the envelope ["stat.sleeper"] matching:
      """
      {"pid": ["#number"], "cpu": "#number", "mem": "#number", "age": "#number"}
      """
    And I eventually receive a JSON message from circusd's stats port within 10 seconds with the envelope ["#regex stat\\.sleeper\\.\\d+"] containing:
      """
      {"pid": "#number", "cmdline": "python", "cpu": "#number", "mem": "#number"}
      """
