Feature: Stubs stand in for the services an app talks to
  A stub is a socket of the scenario that receives in the background,
  answers by rules, and remembers everything it received. Here the specs
  talk to stubs directly; see billing.feature for a stub behind Ogre.

  Scenario: a REP stub answers by its rules, in order, and falls back
    Given a stub REP socket bound to "tcp://127.0.0.1:*" as "worker"
    And the stub "worker" answers "PONG" to "PING"
    And the stub "worker" answers with the multipart message ["OK", "${request.frame.1}"] to the multipart message ["GET", "#string"]
    And the stub "worker" answers anything else with "ERR unknown"
    And I connect a REQ socket to the endpoint of "worker" as "client"
    When I send "PING" to "client"
    Then I receive "PONG" from "client"
    When I send the multipart message ["GET", "42"] to "client"
    Then I receive the multipart message ["OK", "42"] from "client"
    When I send "DANCE" to "client"
    Then I receive "ERR unknown" from "client"
    And the stub "worker" received 3 messages
    And the stub "worker" received "PING"
    And the stub "worker" received the multipart message ["GET", "42"]

  Scenario: a REP stub with no matching rule still answers, so its peer is not stuck
    Given a stub REP socket bound to "tcp://127.0.0.1:*" as "worker"
    And I connect a REQ socket to the endpoint of "worker" as "client"
    When I send the multipart message ["HELLO", "there"] to "client"
    Then I receive "zmqprose stub: no rule for HELLO | there" from "client"

  Scenario: JSON requests are answered with values taken from the request
    Given a stub ROUTER socket bound to "tcp://127.0.0.1:*" as "billing"
    And the stub "billing" answers JSON requests containing {"command": "status"} with:
      """
      {"id": "${request.id}", "status": "ok"}
      """
    And I connect a DEALER socket to the endpoint of "billing" as "client"
    When I send the JSON message to "client":
      """
      {"command": "status", "id": "req-7"}
      """
    Then I receive a JSON message from "client" matching:
      """
      {"id": "req-7", "status": "ok"}
      """
    And the stub "billing" received a JSON message containing:
      """
      {"command": "status"}
      """

  Scenario: a slow answer comes after its delay
    Given a stub REP socket bound to "tcp://127.0.0.1:*" as "worker"
    And the stub "worker" answers "PONG" to "PING" after 500 ms
    And I connect a REQ socket to the endpoint of "worker" as "client"
    When I send "PING" to "client"
    Then I receive nothing from "client" within 200 ms
    And I receive "PONG" from "client" within 2 seconds

  Scenario: a stub that stops answering keeps listening
    Given a stub REP socket bound to "tcp://127.0.0.1:*" as "worker"
    And the stub "worker" answers "PONG" to "PING"
    And I connect a REQ socket to the endpoint of "worker" as "client"
    And I send "PING" to "client"
    And I receive "PONG" from "client"
    When the stub "worker" stops answering
    And I send "PING" to "client"
    Then I receive nothing from "client" within 300 ms
    And the stub "worker" received 2 messages

  Scenario: a stub connects to a broker the way a worker would
    Given I bind a DEALER socket to "tcp://127.0.0.1:*" as "broker"
    And a stub REP socket connected to the endpoint of "broker" as "worker"
    And the stub "worker" answers "PONG" to "PING"
    When I send the multipart message ["", "PING"] to "broker"
    Then I receive the multipart message ["", "PONG"] from "broker"

  Scenario: a PULL stub only records, and checks can wait for what it records
    Given a stub PULL socket bound to "tcp://127.0.0.1:*" as "sink"
    And I connect a PUSH socket to the endpoint of "sink" as "feeder"
    When I send "one" to "feeder"
    And I send "two" to "feeder"
    Then the stub "sink" received "two" within 2 seconds
    And the stub "sink" received 2 messages within 2 seconds

  Scenario: a stub nobody talks to received nothing
    Given a stub SUB socket bound to "tcp://127.0.0.1:*" as "listener"
    Then the stub "listener" received nothing
