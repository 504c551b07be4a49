"""Errors the CLI reports as one line (``error: <input>: <reason>``), never as a traceback."""


class SourcetraceError(Exception):
    """A failure the user can act on; its message is shown as is."""


class InputError(SourcetraceError):
    """One input could not be read; ``origin`` names it."""

    def __init__(self, origin: str, reason: str):
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason


class PipelineNotFound(SourcetraceError):
    pass


class TimeLimitExceeded(SourcetraceError):
    """An analysis's time limit (``AnalysisOptions.time_limit``) left no time to parse any of the text."""
