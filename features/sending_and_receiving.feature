Feature: Sending and receiving
  Every send and receive names a socket that an earlier step made, waits
  at most a bounded time, and compares frames with markers where exact
  values are not known in advance.

  Background:
    Given I bind a PULL socket to "tcp://127.0.0.1:*" as "inbox"
    And I connect a PUSH socket to the endpoint of "inbox" as "outbox"

  Scenario: a text message arrives as one UTF-8 frame
    When I send "grüße, Storyplayer" to "outbox"
    Then I receive the multipart message ["grüße, Storyplayer"] from "inbox" within 500 ms

  Scenario: a quote inside a text is written \"
    When I send "say \"hi\"" to "outbox"
    Then I receive "say \"hi\"" from "inbox"

  Scenario: an empty frame and raw bytes are frames like any other
    When I send the multipart message ["", "hex:00ff", "end"] to "outbox"
    Then I receive the multipart message ["", "hex:00ff", "end"] from "inbox"

  Scenario: markers match frames by kind
    When I send the multipart message ["id-7", "3.5", "b7e23ec2-9a3e-4c8e-b1a0-5d2f8f3c1e44"] to "outbox"
    Then I receive the multipart message ["#regex id-\\d+", "#ignore", "#ignore"] from "inbox"

  Scenario: any message will do
    When I send "anything" to "outbox"
    Then I receive a message from "inbox" within 1 second

  Scenario: several messages arrive within one wait
    When I send "one" to "outbox"
    And I send "two" to "outbox"
    And I send "three" to "outbox"
    Then I receive 3 messages from "inbox" within 2 seconds
    And nothing is waiting on "inbox"

  Scenario: a quiet socket receives nothing
    Then I receive nothing from "inbox" within 200 ms
    And nothing is waiting on "inbox"

  Scenario: a waiting message stays queued until it is received
    Given I bind a PULL socket to sink's inbox endpoint as "queue"
    And I connect a PUSH socket to "inproc://sink-inbox" as "feeder"
    And nothing is waiting on "queue"
    When I send "queued" to "feeder"
    Then a message is waiting on "queue"
    And I receive "queued" from "queue"
    And nothing is waiting on "queue"

  Scenario: a REP socket replies to the peer that asked
    Given I bind a REP socket to "tcp://127.0.0.1:*" as "server"
    And I connect a REQ socket to the endpoint of "server" as "client"
    When I send "PING" to "client"
    Then I receive "PING" from "server"
    When I reply with the multipart message ["PONG", "1"] on "server"
    Then I receive the multipart message ["PONG", "1"] from "client"

  Scenario: a ROUTER replies to the peer that asked, and expectations see no routing id
    Given I bind a ROUTER socket to "tcp://127.0.0.1:*" as "router"
    And I connect a REQ socket to the endpoint of "router" as "client"
    When I send the multipart message ["GET", "42"] to "client"
    Then I receive the multipart message ["GET", "42"] from "router"
    When I reply "OK" on "router"
    Then I receive "OK" from "client"
