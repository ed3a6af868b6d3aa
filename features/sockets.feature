Feature: Sockets belong to the scenario that makes them
  A scenario binds and connects sockets by app reference, by address or by
  name; it can check where they are connected, take them down, and every
  socket is closed when the scenario ends.

  Scenario: a named socket bound to a free port is found by its name and its endpoint
    Given I bind a PULL socket to "tcp://127.0.0.1:*" as "inbox"
    And I connect a PUSH socket to the endpoint of "inbox" as "sender"
    When I send "hello" to "sender"
    Then I receive "hello" from "inbox"
    And "sender" is connected to the endpoint of "inbox"

  Scenario: an app reference can name an in-process endpoint
    Given I bind a PULL socket to sink's inbox endpoint as "inbox"
    And I connect a PUSH socket to sink's inbox endpoint as "feeder"
    And "feeder" is connected to "inproc://sink-inbox"
    When I send "over inproc" to "feeder"
    Then I receive "over inproc" from "inbox"


  Scenario: the old socket type names XREQ and XREP still work
    Given I bind a XREP socket to "tcp://127.0.0.1:*" as "router"
    And I connect a XREQ socket to the endpoint of "router" as "dealer"
    When I send "hello router" to "dealer"
    Then I receive "hello router" from "router"

  Scenario: socket options are set before the socket connects
    Given I bind a ROUTER socket to "tcp://127.0.0.1:*" as "router"
    And I connect a DEALER socket to the endpoint of "router" as "dealer" with options:
      | option     | value    |
      | ROUTING_ID | dealer-1 |
      | SNDHWM     | 10       |
    When I send "who am I" to "dealer"
    Then I receive "who am I" from "router"
    When I reply "you are dealer-1" on "router"
    Then I receive "you are dealer-1" from "dealer"

  Scenario: a disconnected socket is no longer connected to the endpoint
    Given ogre is running
    And I connect a PUSH socket to ogre's command port as "commands"
    And "commands" is connected to ogre's command port
    When I disconnect ogre's command port
    Then "commands" is not connected to ogre's command port

  Scenario: an unbound address is free to bind again
    Given I bind a PULL socket to sink's inbox endpoint as "first"
    When I unbind sink's inbox endpoint
    Then "first" is not connected to sink's inbox endpoint
    And "first" is not bound to sink's inbox endpoint
    When I bind a PULL socket to sink's inbox endpoint as "second"
    And I connect a PUSH socket to "inproc://sink-inbox" as "feeder"
    And I send "to the second" to "feeder"
    Then I receive "to the second" from "second"
    And nothing is waiting on "first"

  Scenario: a closed socket is gone from the scenario
    Given I bind a PULL socket to "tcp://127.0.0.1:*" as "inbox"
    When I close "inbox"
    Then I bind a PULL socket to "tcp://127.0.0.1:*" as "inbox"
