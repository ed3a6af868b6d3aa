Feature: Pipelines at full speed
  Ogre's pipeline passes messages from its input port to its output port
  unchanged. A spec pumps a large volume through it and proves that nothing
  was lost, duplicated or reordered, and how fast it went.

  Background:
    Given ogre is running
    And I connect a PUSH socket to ogre's pipeline input port
    And I connect a PULL socket to ogre's pipeline output port
    And ogre's pipeline output port becomes connected within 2 seconds

  Scenario: a hundred thousand small messages pass through whole and in order
    When I push 100000 messages of 100 bytes to ogre's pipeline input port
    Then I pull 100000 messages from ogre's pipeline output port within 30 seconds
    And no pushed message was lost
    And the pulled messages arrived in order
    And the pipeline moved at least 1000 messages per second

  Scenario: larger messages pass through too
    When I push 20000 messages of 1024 bytes to ogre's pipeline input port
    Then I pull 20000 messages from ogre's pipeline output port within 30 seconds
    And no pushed message was lost
    And the pulled messages arrived in order

  Scenario: several pushers share a large push, and each is checked for loss and order
    When I push 200000 messages of 100 bytes to ogre's pipeline input port from 4 pushers
    Then I pull 200000 messages from ogre's pipeline output port within 60 seconds
    And no pushed message was lost
    And the pulled messages arrived in order
