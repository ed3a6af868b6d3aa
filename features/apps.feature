Feature: Apps under test are started once per run
  An app whose settings have a start command is started by zmqprose the
  first time a scenario needs it, on free ports chosen at start, and stopped
  when the run ends. An app without one must already be listening.

  Scenario: ogre is started and listens on every port of its settings
    Given ogre is running
    When I connect a REQ socket to ogre's control port
    And I send "PING" to ogre's control port
    Then I receive "PONG" from ogre's control port

  Scenario: asking again for a running app does not start it twice
    Given ogre is running
    And ogre is running
    When I connect a REQ socket to ogre's control port
    And I send "PING" to ogre's control port
    Then I receive "PONG" from ogre's control port

  Scenario: an app's settings are reached by ${APP.SETTING}
    Given ogre is running
    When I connect a PUSH socket to "tcp://${ogre.host}:${ogre.command_port}" as "commands"
    And I connect a PULL socket to ogre's response port
    And I send "PING" to "commands"
    Then I receive "PONG" from ogre's response port
