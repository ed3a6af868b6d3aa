Feature: a link with nothing listening behind it has no connection
  A connection through a link counts once the link has reached its target:
  a peer connected to the link alone is no connection, and the failure says why.

  Scenario: a PUSH connected to a link in front of a port where nothing listens
    Given a link to "tcp://127.0.0.1:1" as "nowhere"
    And I connect a PUSH socket to the endpoint of "nowhere" as "pusher"
    Then the link "nowhere" has a connection within 1 second
