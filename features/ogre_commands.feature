Feature: Ogre answers commands
  Ogre takes commands on its command port and answers on its response port.
  A spec talks to it the way any client would: a PUSH socket for commands,
  a PULL socket for answers.

  Background:
    Given ogre is running

  Scenario: a ping is answered with a pong that carries the same id
    Given I connect a PUSH socket to ogre's command port
    When I send the multipart message ["PING", "42"] to ogre's command port
    And I connect a PULL socket to ogre's response port
    Then I receive the multipart message ["PONG", "42"] from ogre's response port
    When I store the last message from ogre's response port in the checkpoint as "response"
    Then the checkpoint has "response"
    And the checkpoint "response" is ["PONG", "42"]

  Scenario: an ECHO command comes back as the frames that follow it
    Given I connect a PUSH socket to ogre's command port
    And I connect a PULL socket to ogre's response port
    When I send the multipart message ["ECHO", "one", "two", ""] to ogre's command port
    Then I receive the multipart message ["one", "two", ""] from ogre's response port within 2 seconds

  Scenario: binary frames pass through unchanged
    Given I connect a PUSH socket to ogre's command port
    And I connect a PULL socket to ogre's response port
    When I send a multipart message to ogre's command port:
      | frame     |
      | ECHO      |
      | hex:00ff0a |
    Then I receive a multipart message from ogre's response port within 2 seconds:
      | frame      |
      | hex:00ff0a |

  Scenario: a message Ogre does not know as a command is echoed whole
    Given I connect a PUSH socket to ogre's command port
    And I connect a PULL socket to ogre's response port
    When I send the multipart message ["hello, Storyplayer", "you're looking fine today"] to ogre's command port
    Then I receive the multipart message ["hello, Storyplayer", "#ignore"] from ogre's response port
