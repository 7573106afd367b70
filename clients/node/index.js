'use strict';
// kpi-service from Node.js: every metric the server serves, bundled or from
// a team's plugin, as a promise-returning method of Client (docs/clients.md).
//
//   const { Client } = require('kpi-client');
//   const kpi = new Client('localhost:50051');
//   const nps = await kpi.nps([10, 9, 0]);   // nps.value === 33.33...
const path = require('path');
const fs = require('fs');
const os = require('os');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const { KpiError } = require('./errors');
const values = require('./values');

// The .proto files: shipped in the package (proto/), or the checkout's.
function defaultProtoDir() {
  const shipped = path.join(__dirname, 'proto');
  return fs.existsSync(shipped) ? shipped : path.join(__dirname, '..', '..', 'proto');
}

const LOAD_OPTIONS = {
  keepCase: true, longs: Number, enums: String, defaults: false, arrays: true, oneofs: true,
};

function loadService(protoDir) {
  const definition = protoLoader.loadSync(path.join(protoDir, 'kpi/v1/metric_service.proto'),
    { ...LOAD_OPTIONS, includeDirs: [protoDir] });
  return grpc.loadPackageDefinition(definition).kpi.v1.MetricService;
}

// Loads .proto files sent by the server ({ path, content } each, the first
// a plugin's) and returns that plugin's service constructor and full name.
// The files go to a private temporary directory, removed once loaded; a
// path that is absolute or climbs out of it is refused.
function loadSentService(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-protos-'));
  try {
    for (const file of files) {
      const target = path.resolve(dir, file.path);
      if (path.isAbsolute(file.path) || !target.startsWith(dir + path.sep)) {
        throw new Error(`the server sent a .proto path outside its root: ${file.path}`);
      }
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, file.content);
    }
    const definition = protoLoader.loadSync(files[0].path, { ...LOAD_OPTIONS, includeDirs: [dir] });
    const pkg = path.dirname(files[0].path).split('/').join('.');
    const name = Object.keys(definition).find((key) => key.startsWith(`${pkg}.`) &&
      Object.values(definition[key]).some((method) => method && typeof method.path === 'string'));
    const Service = name.split('.').reduce((at, part) => at[part],
      grpc.loadPackageDefinition(definition));
    return { Service, name };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

class Client {
  // target: 'host:port'. options: token (bearer, kpi-server --tokens-file),
  // tls (true for the system's roots, or a CA certificate as a Buffer),
  // timeoutMs per call (default 30000), chunkRows (rows per message when a
  // call is streamed, default 50000), protoDir.
  constructor(target, options = {}) {
    const Service = loadService(options.protoDir || defaultProtoDir());
    let credentials = grpc.credentials.createInsecure();
    this._metadata = new grpc.Metadata();
    if (options.tls) {
      credentials = grpc.credentials.createSsl(options.tls === true ? null : options.tls);
      if (options.token) {
        credentials = grpc.credentials.combineChannelCredentials(credentials,
          grpc.credentials.createFromMetadataGenerator((_, done) => {
            const m = new grpc.Metadata();
            m.set('authorization', `Bearer ${options.token}`);
            done(null, m);
          }));
      }
    } else if (options.token) {
      this._metadata.set('authorization', `Bearer ${options.token}`);
    }
    this._stub = new Service(target, credentials);
    this._target = target;
    this._credentials = credentials;
    this._timeoutMs = options.timeoutMs || 30000;
    this._chunkRows = options.chunkRows || 50000;
    this._infos = new Map();
    // Any other property is a metric: kpi.nps(...), kpi.my_health(...).
    return new Proxy(this, {
      get(client, name, receiver) {
        if (typeof name !== 'string' || name in client || name === 'then') {
          return Reflect.get(client, name, receiver);
        }
        return (...args) => client.compute(name, ...args);
      },
    });
  }

  close() { this._stub.close(); }

  _options() { return { deadline: new Date(Date.now() + this._timeoutMs) }; }

  _unary(method, request, stub = this._stub) {
    return new Promise((resolve, reject) => {
      stub[method](request, this._metadata, this._options(), (error, response) => {
        if (error) reject(KpiError.fromServiceError(error));
        else resolve(response);
      });
    });
  }

  // The names of the metrics the server serves now.
  async metrics() {
    const response = await this._unary('ListMetrics', {});
    for (const m of response.metrics) this._infos.set(m.name, m);
    return response.metrics.map((m) => m.name).sort();
  }

  // The typed service of a loaded plugin, a team's included, from the
  // .proto files the server sends (kpi.v1.MetricService/GetMetricProtos):
  // { name: 'kpi.plugins.survey.v1.SurveyService', ComputeNps(request), ...,
  // close() }, a promise-returning method per metric taking the request
  // message as a plain object (its inputs and parameters as fields) and
  // resolving to the same Result as compute(). A plugin the server has not
  // loaded rejects with KpiError NOT_FOUND. The methods are those of the
  // plugin as loaded now: after a reload that changes it, ask again.
  async typedService(plugin) {
    const { files } = await this._unary('GetMetricProtos', { plugins: [plugin] });
    const { Service, name } = loadSentService(files);
    const stub = new Service(this._target, this._credentials);
    const service = { name, close: () => stub.close() };
    for (const method of Object.keys(Service.service)) {
      service[method] = async (request) =>
        values.result((await this._unary(method, request, stub)).result);
    }
    return service;
  }

  // The metric's declaration (kpi.v1.MetricInfo).
  async describe(metric) {
    if (!this._infos.has(metric)) {
      const response = await this._unary('DescribeMetric', { metric });
      this._infos.set(metric, response.metric);
    }
    return this._infos.get(metric);
  }

  // Computes `metric`. data: an object of column name -> values (arrays),
  // scalar inputs (single values) included; or, for a metric with exactly
  // one column input, its values. options: parameters (name -> value; a
  // Date for a timestamp), groupBy (column names), profile. Rejects with
  // KpiError naming the code, field and row.
  async compute(metric, data = {}, options = {}) {
    const info = await this.describe(metric);
    const columnInputs = info.inputs.filter((i) => i.kind === 'INPUT_KIND_COLUMN');
    if (Array.isArray(data) || ArrayBuffer.isView(data)) {
      if (columnInputs.length !== 1) {
        throw new TypeError(`${metric} has ${columnInputs.length} column inputs; pass an object of columns`);
      }
      data = { [columnInputs[0].name]: data };
    }
    const types = new Map(info.inputs.map((i) => [i.name, i]));
    const columns = {};
    const scalars = {};
    for (const [name, given] of Object.entries(data)) {
      const input = types.get(name);
      if (input && input.kind === 'INPUT_KIND_SCALAR') scalars[name] = values.value(input.type, given);
      else columns[name] = Array.from(given);
    }
    const parameterTypes = new Map(info.parameters.map((p) => [p.name, p.type]));
    const parameters = {};
    for (const [name, given] of Object.entries(options.parameters || {})) {
      parameters[name] = values.value(parameterTypes.get(name), given);
    }
    const lengths = new Set(Object.values(columns).map((c) => c.length));
    if (lengths.size > 1) throw new RangeError('columns differ in length');
    const rows = lengths.size ? [...lengths][0] : 0;
    const encode = (slice) => Object.entries(slice).map(([name, v]) =>
      values.column(name, types.has(name) ? types.get(name).type : null, v));
    const first = {
      metric, scalars, parameters, group_by: options.groupBy || [], profile: options.profile || '',
    };
    let response;
    if (rows <= this._chunkRows) {
      response = await this._unary('Compute', { ...first, columns: encode(columns) });
    } else {
      response = await new Promise((resolve, reject) => {
        const call = this._stub.ComputeStream(this._metadata, this._options(), (error, answer) => {
          if (error) reject(KpiError.fromServiceError(error));
          else resolve(answer);
        });
        for (let start = 0; start < rows; start += this._chunkRows) {
          const slice = Object.fromEntries(Object.entries(columns).map(
            ([name, v]) => [name, v.slice(start, start + this._chunkRows)]));
          call.write({ ...(start === 0 ? first : {}), columns: encode(slice) });
        }
        call.end();
      });
    }
    return values.result(response.result);
  }
}

module.exports = { Client, KpiError };
