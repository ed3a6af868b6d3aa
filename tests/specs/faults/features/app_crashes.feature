Feature: an app that cannot start
  Scenario: its start command exits at once
    Given crasher is running
