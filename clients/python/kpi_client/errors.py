"""KpiError: a failed call, with what the server said was wrong."""
import re

import grpc

# The server's messages name what a caller got wrong in a fixed form
# (docs/api.md): "chunk K: ..." for a stream, then "input 'NAME' row N: ..."
# or "parameter 'NAME' ...".
_CHUNK = re.compile(r"^chunk (\d+): ")
_INPUT_ROW = re.compile(r"input '([^']+)' row (\d+)")
_NAMED = re.compile(r"(?:input|parameter|scalar) '([^']+)'")


class KpiError(Exception):
    """A call the server refused or could not complete.

    code: the grpc.StatusCode (INVALID_ARGUMENT for bad input, NOT_FOUND for
    an unknown metric, RESOURCE_EXHAUSTED for a limit, UNAVAILABLE when a
    plugin's worker failed, ...); message: the server's explanation; field:
    the input or parameter it names, or None; row: the row it names (counted
    from 0 over the whole call), or None; chunk: for a streamed call, the
    chunk it names, or None.
    """

    def __init__(self, code, message):
        super().__init__(f"{code.name}: {message}")
        self.code = code
        self.message = message
        chunk = _CHUNK.search(message)
        self.chunk = int(chunk.group(1)) if chunk else None
        row = _INPUT_ROW.search(message)
        named = row or _NAMED.search(message)
        self.field = named.group(1) if named else None
        self.row = int(row.group(2)) if row else None

    @classmethod
    def from_rpc_error(cls, error: grpc.RpcError) -> "KpiError":
        return cls(error.code(), error.details() or "")
