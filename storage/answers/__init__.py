"""Where the response cache keeps its answers: this process's memory, or a Redis shared by processes."""
