Feature: an app without start that is not there
  Scenario: nothing listens where the settings say
    Given silent is running
