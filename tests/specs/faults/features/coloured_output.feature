Feature: a failure whose message carries an app's coloured output
  Scenario: the command printed colours and not what was expected
    When I run "python -c 'import sys; sys.stdout.write(chr(27) + \"[31mred\" + chr(27) + \"[0m\" + chr(7) + chr(0))'"
    Then the command's output contains "blue"
