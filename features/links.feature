Feature: Links: what ZeroMQ promises when the network between the spec and an app goes wrong
  A link is a TCP relay of the scenario in front of one endpoint; the spec's
  sockets connect to "the endpoint of" the link, and the spec cuts, stalls,
  delays and mends it while both sides live. These are the promises users
  most need to specify: peers reconnect by themselves, messages queue while a
  peer is away, a PUB drops what a gone SUB would have had, and heartbeats
  notice a peer that hangs.

  Scenario: messages pushed while the link is cut arrive, all and in order, after it is restored
    Given ogre is running
    And a link to ogre's pipeline input port as "into-ogre"
    And I connect a PUSH socket to the endpoint of "into-ogre" as "pusher"
    And I connect a PULL socket to ogre's pipeline output port as "puller"
    And the link "into-ogre" has a connection within 5 seconds
    When I send "before" to "pusher"
    Then I receive "before" from "puller" within 2 seconds
    When the link "into-ogre" is cut
    And the link "into-ogre" has no connection within 2 seconds
    And I send "queued 1" to "pusher"
    And I send "queued 2" to "pusher"
    And I send "queued 3" to "pusher"
    Then I receive nothing from "puller" within 300 ms
    When the link "into-ogre" is restored
    Then the link "into-ogre" has a connection within 5 seconds
    And I receive "queued 1" from "puller" within 5 seconds
    And I receive "queued 2" from "puller" within 2 seconds
    And I receive "queued 3" from "puller" within 2 seconds

  Scenario: what is published during a cut is lost; later messages arrive once the subscriber is back
    A subscriber sends its subscriptions again when it reconnects, as its
    owner next calls into it (here: the receive that proves the loss).
    Given I bind a PUB socket to "tcp://127.0.0.1:*" as "feed"
    And a link to the endpoint of "feed" as "news-link"
    And I connect a SUB socket to the endpoint of "news-link" as "reader" subscribed to everything
    And "feed" has a subscriber within 5 seconds
    When I send "before the cut" to "feed"
    Then I receive "before the cut" from "reader" within 2 seconds
    When the link "news-link" is cut for 1 second
    And I send "during the cut" to "feed"
    Then the link "news-link" has a connection within 5 seconds
    And I receive nothing from "reader" within 500 ms
    And "feed" has a subscriber within 5 seconds
    When I send "after the cut" to "feed"
    Then I receive "after the cut" from "reader" within 2 seconds

  Scenario: a request through a link that stalls gets no answer until the link is healthy again
    Given ogre is running
    And a link to ogre's control port as "control-link"
    And I connect a REQ socket to the endpoint of "control-link" as "asker"
    And the link "control-link" has a connection within 5 seconds
    When the link "control-link" stalls
    And I send "PING" to "asker"
    Then I receive nothing from "asker" within 1 second
    When the link "control-link" is healthy
    Then I receive "PONG" from "asker" within 2 seconds
    When I connect a REQ socket to the endpoint of "control-link" as "fresh asker"
    And I send "PING" to "fresh asker"
    Then I receive "PONG" from "fresh asker" within 2 seconds

  Scenario: a link that delays holds each message that long
    Given ogre is running
    And a link to ogre's control port as "slow-link"
    And I connect a REQ socket to the endpoint of "slow-link" as "asker"
    When the link "slow-link" delays by 200 ms
    And I send "PING" to "asker"
    Then I receive nothing from "asker" within 300 ms
    And I receive "PONG" from "asker" within 2 seconds

  Scenario: a zerorpc client behind a link that stalls reports its lost remote, and recovers when it is healthy
    Given zerorpc is running
    And a link to zerorpc's rpc port as "rpc-link"
    When I start "python examples/zerorpc_watcher.py ${link.rpc-link.endpoint}" as "watcher"
    Then "watcher"'s output contains "calling" within 10 seconds
    And the link "rpc-link" has a connection within 10 seconds
    When the link "rpc-link" stalls
    Then "watcher"'s output contains "lost remote" within 10 seconds
    When the link "rpc-link" is healthy
    Then "watcher"'s output contains "recovered: 3" within 20 seconds
    And "watcher" exits with code 0 within 10 seconds
