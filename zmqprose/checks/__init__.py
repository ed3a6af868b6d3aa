"""Every check in one place, one module per subject: socket, checkpoint, stub, pipeline;
and the PyHamcrest matchers that report a mismatch side by side."""
