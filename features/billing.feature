Feature: Ogre charges accounts through the billing service
  Ogre's CHARGE command asks the billing service, which Ogre reaches on its
  billing port, and reports billing's answer on its response port. A stub
  stands in for billing, so that each spec decides what billing says.

  Background:
    Given ogre is running
    And a stub REP socket bound to ogre's billing port as "billing"
    And I connect a PUSH socket to ogre's command port
    And I connect a PULL socket to ogre's response port

  Scenario: billing accepts the charge
    Given the stub "billing" answers JSON requests containing {"command": "charge"} with:
      """
      {"status": "ok", "account": "${request.account}", "charged": "${request.amount}"}
      """
    When I send the multipart message ["CHARGE", "acct-1", "250"] to ogre's command port
    Then I receive the multipart message ["CHARGE", "acct-1", "#object"] from ogre's response port
    And I receive nothing from ogre's response port within 100 ms
    And the stub "billing" received a JSON message containing:
      """
      {"command": "charge", "account": "acct-1", "amount": "250"}
      """

  Scenario: billing refuses the charge
    Given the stub "billing" answers JSON requests containing {"account": "acct-broke"} with:
      """
      {"status": "error", "error": "insufficient funds"}
      """
    When I send the multipart message ["CHARGE", "acct-broke", "999"] to ogre's command port
    Then I receive a JSON message from ogre's response port matching:
      """
      {"status": "error", "error": "#regex insufficient .*"}
      """

  Scenario: billing answers too slowly for Ogre
    Given the stub "billing" answers "{\"status\": \"ok\"}" to "#ignore" after 1500 ms
    When I send the multipart message ["CHARGE", "acct-1", "5"] to ogre's command port
    Then I receive the multipart message ["CHARGE", "acct-1", "ERR billing did not answer within 1000 ms"] from ogre's response port within 3 seconds

  Scenario: billing is silent
    Given the stub "billing" stops answering
    When I send the multipart message ["CHARGE", "acct-1", "5"] to ogre's command port
    Then I receive the multipart message ["CHARGE", "acct-1", "#regex ERR billing did not answer .*"] from ogre's response port within 3 seconds
    And the stub "billing" received 1 message
