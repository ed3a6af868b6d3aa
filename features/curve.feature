Feature: Secured sockets: CURVE
  A service that crosses hosts runs CURVE: it answers a client that knows
  its public key and whose own key it allows, and never completes a
  handshake with anyone else. Vault is an Ogre whose control port is a CURVE
  server, with a key made for the run and a list of allowed clients written
  from a template; the specs prove each side of that.

  Scenario: a client with the server's key, and allowed, gets answers
    Given vault is running
    When I connect a REQ socket to vault's control port with CURVE
    Then vault's control port becomes connected within 5 seconds
    When I send "PING" to vault's control port
    Then I receive "PONG" from vault's control port

  Scenario: a client whose key is not allowed is refused
    Given vault is running
    When I connect a REQ socket to vault's control port with CURVE as client "mallory"
    Then vault's control port refuses the handshake within 5 seconds

  Scenario: a client with a wrong server key never completes a handshake
    Given vault is running
    When I connect a REQ socket to vault's control port with CURVE and the wrong server key
    Then vault's control port refuses the handshake within 5 seconds

  Scenario: a server of the spec lets in only the clients it names
    Given I bind a REP socket to "tcp://127.0.0.1:*" as "secure" with CURVE allowing only "alice"
    And I connect a REQ socket to the endpoint of "secure" as "alice" with CURVE as client "alice"
    And I connect a REQ socket to the endpoint of "secure" as "mallory" with CURVE as client "mallory"
    Then "alice" becomes connected within 5 seconds
    And "mallory" refuses the handshake within 5 seconds
    And "secure" refused a handshake within 5 seconds

  Scenario: a stub with CURVE stands in for a secured dependency
    Given a stub REP socket bound to "tcp://127.0.0.1:*" as "billing" with CURVE
    And the stub "billing" answers "PAID" to "CHARGE"
    When I connect a REQ socket to the endpoint of "billing" as "shop" with CURVE
    And I send "CHARGE" to "shop"
    Then I receive "PAID" from "shop"
