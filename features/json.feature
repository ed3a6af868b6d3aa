Feature: JSON messages
  Most command interfaces speak JSON. A spec sends JSON written as it is,
  and checks a JSON answer either exactly (apart from markers) or as a
  subset of what came back.

  Background:
    Given ogre is running
    And I connect a REQ socket to ogre's control port

  Scenario: a status request is answered with a JSON status
    When I send the JSON message to ogre's control port:
      """
      {"command": "status", "id": "req-1"}
      """
    Then I receive a JSON message from ogre's control port matching:
      """
      {"status": "ok", "id": "req-1", "counters": "#object", "ports": "#array"}
      """

  Scenario: containing checks only what the spec cares about
    When I send the JSON message to ogre's control port:
      """
      {"command": "status"}
      """
    Then I receive a JSON message from ogre's control port within 2 seconds containing:
      """
      {"status": "ok", "counters": {"commands": "#number"}, "ports": ["control", "event"]}
      """

  Scenario: values from the checkpoint go into JSON and come back out
    Given I store "a8098c1a-f86e-11da-bd1a-00112444be1e" in the checkpoint as "request_id"
    When I send the JSON message to ogre's control port:
      """
      {"command": "status", "id": "${checkpoint.request_id}"}
      """
    Then I receive a JSON message from ogre's control port containing:
      """
      {"id": "#uuid"}
      """
    And I store the last message from ogre's control port in the checkpoint as "status"
    And the checkpoint "status" is ["#object"]

  Scenario: an unknown command gets a JSON error
    When I send the JSON message to ogre's control port:
      """
      {"command": "dance"}
      """
    Then I receive a JSON message from ogre's control port matching:
      """
      {"status": "error", "error": "#regex unknown .*"}
      """
