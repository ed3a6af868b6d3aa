Feature: Storyplayer's ZeroMQ stories
  The five stories that Storyplayer's ZeroMQ module shipped with, written
  in zmqprose's phrases against Ogre.

  Background:
    Given ogre is running
    And I connect a PUSH socket to ogre's command port
    And I connect a PULL socket to ogre's response port

  Scenario: can send and receive a single-part message
    When I send "hello, Storyplayer" to ogre's command port
    Then I receive "hello, Storyplayer" from ogre's response port

  Scenario: can send and receive a multi-part message
    When I send the multipart message ["hello, Storyplayer", "you're looking fine today"] to ogre's command port
    Then I receive a multipart message from ogre's response port within 1 second:
      | frame                     |
      | hello, Storyplayer        |
      | #regex ^you're looking .* |

  Scenario: can send a single-part message without blocking
    Given ogre's command port becomes connected within 2 seconds
    Then ogre's command port can send "PING" without blocking
    And I receive "PONG" from ogre's response port

  Scenario: can send a multi-part message without blocking
    Given ogre's command port becomes connected within 2 seconds
    Then ogre's command port can send the multipart message ["PING", "7"] without blocking
    And I receive the multipart message ["PONG", "7"] from ogre's response port

  Scenario: a socket is connected to the host and port it should be
    Then ogre's command port is connected to ogre's command port
    And ogre's response port is connected to "tcp://127.0.0.1:${ogre.response_port}"
