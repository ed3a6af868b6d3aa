Feature: a Jupyter client under test, the spec playing a signed kernel
  The client is jupyter_client's own BlockingKernelClient
  (examples/jupyter_client_runner.py): it runs "6 * 7" on a kernel and prints
  what came back. The spec plays the kernel. played_kernel is an app without
  "start" whose ports are 0: binding its shell and IOPub ports takes free
  ports, which its settings then hold, so that the client's connection file,
  written from a template by "files" when the client starts, has them, with
  the key. The spec signs what it sends, and checks what it receives, with
  that key. A client's shell socket has its session id as its routing id:
  the reply goes back to it with that envelope.

  Background:
    Given I bind a ROUTER socket to played_kernel's shell port
    And I bind a PUB socket to played_kernel's iopub port
    And jupyter_client is running
    When I receive a Jupyter message from played_kernel's shell port within 10 seconds containing:
      """
      {"header": {"msg_type": "execute_request"}, "content": {"code": "6 * 7", "silent": false}}
      """
    And I store the last Jupyter message from played_kernel's shell port in the checkpoint as "request"
    And played_kernel's iopub port has a subscriber within 10 seconds

  Scenario: the client prints the result the kernel published, and the reply
    When I send the Jupyter message to played_kernel's iopub port:
      """
      {"header": {"msg_type": "status"}, "parent_header": ${checkpoint.request.header},
       "content": {"execution_state": "busy"}}
      """
    And I send the Jupyter message to played_kernel's iopub port:
      """
      {"header": {"msg_type": "execute_result"}, "parent_header": ${checkpoint.request.header},
       "content": {"execution_count": 1, "data": {"text/plain": "42"}, "metadata": {}}}
      """
    And I send the Jupyter message to played_kernel's iopub port:
      """
      {"header": {"msg_type": "status"}, "parent_header": ${checkpoint.request.header},
       "content": {"execution_state": "idle"}}
      """
    And I send the Jupyter message to played_kernel's shell port with the envelope ["${checkpoint.request.header.session}"]:
      """
      {"header": {"msg_type": "execute_reply"}, "parent_header": ${checkpoint.request.header},
       "content": {"status": "ok", "execution_count": 1, "user_expressions": {}, "payload": []}}
      """
    Then jupyter_client exits with code 0 within 10 seconds
    And jupyter_client's output contains "iopub status busy"
    And jupyter_client's output contains "iopub execute_result 42 (count 1)"
    And jupyter_client's output contains "iopub status idle"
    And jupyter_client's output contains "execute_reply ok (count 1)"

  Scenario: a reply signed with another key is refused by the client
    When I send the Jupyter message to played_kernel's iopub port:
      """
      {"header": {"msg_type": "status"}, "parent_header": ${checkpoint.request.header},
       "content": {"execution_state": "idle"}}
      """
    And I send the wrongly-signed-Jupyter message to played_kernel's shell port with the envelope ["${checkpoint.request.header.session}"]:
      """
      {"header": {"msg_type": "execute_reply"}, "parent_header": ${checkpoint.request.header},
       "content": {"status": "ok", "execution_count": 1, "user_expressions": {}, "payload": []}}
      """
    Then jupyter_client exits with code 1 within 10 seconds
    And jupyter_client's output contains "error: ValueError: Invalid Signature"
    And jupyter_client's output does not contain "execute_reply ok"
