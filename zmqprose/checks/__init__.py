"""Every check in one place, one module per subject: socket, checkpoint, stub, pipeline, app, command, file,
link, load; and the PyHamcrest matchers that report a mismatch side by side (matchers)."""
