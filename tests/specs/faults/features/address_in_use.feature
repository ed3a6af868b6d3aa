Feature: an address that is already taken
  Scenario: a second bind to the same address
    Given I bind a PULL socket to "tcp://127.0.0.1:*" as "first"
    When I bind a PULL socket to the endpoint of "first" as "second"
