Feature: CURVE keys stay out of logs, failures and reports
  Scenario: a secured exchange that then fails
    Given I bind a REP socket to "tcp://127.0.0.1:*" as "secure" with CURVE allowing only "alice"
    And I connect a REQ socket to the endpoint of "secure" as "alice" with CURVE as client "alice"
    When I send "${curve.alice.secret_key} ${keyed.curve.secret_key}" to "alice"
    Then I receive "something else" from "secure"

  Scenario: with CURVE to an app that has no curve setting
    When I connect a REQ socket to vault's inbox endpoint with CURVE

  Scenario: with CURVE to a written address
    When I connect a REQ socket to "tcp://127.0.0.1:5999" with CURVE
