Feature: a real Jupyter kernel
  The Jupyter messaging protocol is ZeroMQ's most widely deployed protocol
  in Python: signed multipart messages on a shell (ROUTER), an IOPub (PUB)
  and a heartbeat (REP) port. zmqprose starts an IPython kernel on free
  ports, its connection file written from a template, and speaks to it with
  the key from the settings.

  Background:
    Given kernel is running

  Scenario: the heartbeat echoes what it is sent
    Given I connect a REQ socket to kernel's hb port
    When I send "ping" to kernel's hb port
    Then I receive "ping" from kernel's hb port within 10 seconds

  Scenario: kernel_info_request is answered on the shell port, signed
    Given I connect a DEALER socket to kernel's shell port
    When I send the Jupyter message to kernel's shell port:
      """
      {"header": {"msg_type": "kernel_info_request"}, "content": {}}
      """
    Then I receive a Jupyter message from kernel's shell port within 10 seconds containing:
      """
      {"header": {"msg_type": "kernel_info_reply"}, "content": {"status": "ok", "language_info": {"name": "python"}}}
      """
    When I store the last Jupyter message from kernel's shell port in the checkpoint as "reply"
    And I store "${checkpoint.reply.content.status}" in the checkpoint as "status"
    Then the checkpoint "status" is "ok"

  Scenario: code run on the shell port prints on IOPub, under the request it answers
    Given I connect a SUB socket to kernel's iopub port subscribed to everything
    And kernel's iopub port becomes connected within 10 seconds
    And I connect a DEALER socket to kernel's shell port
    And I store "${uuid}" in the checkpoint as "request"
    When I send the Jupyter message to kernel's shell port:
      """
      {"header": {"msg_type": "execute_request", "msg_id": "${checkpoint.request}"},
       "content": {"code": "print(6 * 7)", "silent": false, "store_history": false,
                   "user_expressions": {}, "allow_stdin": false, "stop_on_error": true}}
      """
    Then I eventually receive a Jupyter message from kernel's iopub port within 10 seconds containing:
      """
      {"header": {"msg_type": "stream"}, "parent_header": {"msg_id": "${checkpoint.request}"},
       "content": {"name": "stdout", "text": "42\n"}}
      """
    And I eventually receive a Jupyter message from kernel's shell port within 10 seconds containing:
      """
      {"header": {"msg_type": "execute_reply"}, "content": {"status": "ok"}}
      """
