Feature: Subscriptions and handshakes
  A SUB socket sees only what it subscribed to, and only what was published
  after it joined. Waiting for the handshake before anything is published
  cures the slow-joiner problem.

  Background:
    Given ogre is running
    And I connect a REQ socket to ogre's control port

  Scenario: a subscriber sees the topics it asked for
    Given I connect a SUB socket to ogre's event port subscribed to "alerts."
    And ogre's event port becomes connected within 2 seconds
    When I send the multipart message ["PUBLISH", "metrics.cpu", "93"] to ogre's control port
    And I receive "OK" from ogre's control port
    And I send the multipart message ["PUBLISH", "alerts.disk", "full"] to ogre's control port
    And I receive "OK" from ogre's control port
    Then I receive the multipart message ["alerts.disk", "full"] from ogre's event port
    And I receive nothing from ogre's event port within 200 ms

  Scenario: every command Ogre handles is an event in JSON
    Given I connect a SUB socket to ogre's event port as "events" subscribed to everything
    And "events" becomes connected within 2 seconds
    And I connect a PUSH socket to ogre's command port
    And I connect a PULL socket to ogre's response port
    When I send "PING" to ogre's command port
    Then I receive "PONG" from ogre's response port
    And I receive a JSON message from "events" containing:
      """
      {"command": "PING", "frames": 1, "count": "#number"}
      """

  Scenario: subscriptions change while the socket lives
    Given I connect a SUB socket to ogre's event port as "events"
    And "events" becomes connected within 2 seconds
    When I subscribe "events" to "metrics."
    And I send the multipart message ["PUBLISH", "metrics.cpu", "93"] to ogre's control port
    And I receive "OK" from ogre's control port
    Then I receive the multipart message ["metrics.cpu", "#number"] from "events"
    When I unsubscribe "events" from "metrics."
    And I subscribe "events" to "alerts."
    And I send the multipart message ["PUBLISH", "alerts.cpu", "hot"] to ogre's control port
    And I receive "OK" from ogre's control port
    And I send the multipart message ["PUBLISH", "metrics.cpu", "94"] to ogre's control port
    And I receive "OK" from ogre's control port
    And I send the multipart message ["PUBLISH", "alerts.cpu", "cool"] to ogre's control port
    And I receive "OK" from ogre's control port
    Then I receive the multipart message ["alerts.cpu", "hot"] from "events"
    And I receive the multipart message ["alerts.cpu", "cool"] from "events"

  Scenario: a socket bound by the spec sees its peer's handshake
    Given I bind a PULL socket to "tcp://127.0.0.1:*" as "inbox"
    And I connect a PUSH socket to the endpoint of "inbox" as "outbox"
    Then "inbox" becomes connected within 2 seconds
    And "outbox" becomes connected within 2 seconds

  Scenario: the spec publishes through a forwarder once its subscription has come all the way up
    Given forwarder is running
    And I bind a PUB socket to forwarder's frontend port as "feed"
    And I connect a SUB socket to forwarder's backend port as "weather" subscribed to "weather."
    Then "feed" has a subscriber to "weather.london" within 5 seconds
    When I send the multipart message ["weather.london", "rain"] to "feed"
    Then I receive the multipart message ["weather.london", "rain"] from "weather"
