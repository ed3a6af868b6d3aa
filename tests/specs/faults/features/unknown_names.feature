Feature: names that do not exist
  Scenario: an unknown app
    Given troll is running

  Scenario: an unknown setting
    Given I connect a PUSH socket to fragile's comand port

  Scenario: an unknown socket type
    Given I connect a PUSHY socket to "tcp://127.0.0.1:1"

  Scenario: an unknown socket option
    Given I connect a PUSH socket to "tcp://127.0.0.1:1" with options:
      | option  | value |
      | SNDHWMM | 10    |

  Scenario: an option with a bad value
    Given I connect a PUSH socket to "tcp://127.0.0.1:1" with options:
      | option | value |
      | SNDHWM | lots  |
