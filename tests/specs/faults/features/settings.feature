Feature: any scenario, run with broken settings
  Scenario: something simple
    Given I bind a PULL socket to "tcp://127.0.0.1:*" as "inbox"
