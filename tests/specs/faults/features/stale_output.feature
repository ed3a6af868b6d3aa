Feature: what an earlier process or an earlier scenario printed never satisfies a check
  Scenario: the first process says so
    Given sayer is running
    Then sayer's output contains "first start"

  Scenario: the same app, still running, in the next scenario: its first line was printed before
    Given sayer is running
    Then sayer's output contains "first start"

  Scenario: after a restart, only the new process counts, and it is ready when it says so
    Given sayer is running
    When I restart sayer
    Then sayer's output contains "started again"
    And sayer's output contains "first start"
