Feature: interpolation of names that do not exist
  Scenario: an unknown checkpoint value
    Given I bind a PULL socket to "tcp://127.0.0.1:*" as "inbox"
    And I store "abc" in the checkpoint as "request_id"
    When I send "${checkpoint.requst_id}" to "inbox"

  Scenario: an unknown app setting
    Given I store "${vault.api_tokn}" in the checkpoint as "token"
