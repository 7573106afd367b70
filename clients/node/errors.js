'use strict';
// KpiError: a failed call, with what the server said was wrong.
const grpc = require('@grpc/grpc-js');

// The server names what a caller got wrong in a fixed form (docs/api.md):
// "chunk K: ..." for a stream, "input 'NAME' row N: ..." for a value,
// "parameter 'NAME' ..." for a parameter.
const CHUNK = /^chunk (\d+): /;
const INPUT_ROW = /input '([^']+)' row (\d+)/;
const NAMED = /(?:input|parameter|scalar) '([^']+)'/;

class KpiError extends Error {
  // code: the gRPC status code (a number, grpc.status.*); codeName: its
  // name ('INVALID_ARGUMENT', ...); field, row, chunk: what the message
  // names, or null. Rows count over the whole call.
  constructor(code, message) {
    const codeName = Object.keys(grpc.status).find((k) => grpc.status[k] === code) || String(code);
    super(`${codeName}: ${message}`);
    this.name = 'KpiError';
    this.code = code;
    this.codeName = codeName;
    this.details = message;
    const chunk = CHUNK.exec(message);
    this.chunk = chunk ? Number(chunk[1]) : null;
    const row = INPUT_ROW.exec(message);
    const named = row || NAMED.exec(message);
    this.field = named ? named[1] : null;
    this.row = row ? Number(row[2]) : null;
  }

  static fromServiceError(error) {
    return new KpiError(error.code, error.details || error.message || '');
  }
}

module.exports = { KpiError };
