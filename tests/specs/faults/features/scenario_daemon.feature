Feature: what an app of the scenario started ends with the scenario
  An app of one scenario ("scope": "scenario") daemonizes a pusher, which leaves its process group.

  Scenario: the app's daemon pushes to the scenario's socket
    Given I bind a PULL socket to "tcp://127.0.0.1:${daemon_pusher.inbox_number}" as "inbox"
    And daemon_pusher is running
    Then I receive "from the daemon" from "inbox" within 10 seconds

  Scenario: the next scenario binds the same port and receives nothing
    Given I bind a PULL socket to "tcp://127.0.0.1:${daemon_pusher.inbox_number}" as "inbox"
    Then I receive nothing from "inbox" within 1 second
