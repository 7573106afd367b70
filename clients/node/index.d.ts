// Types of kpi-client (index.js). The per-metric methods are generated from
// the metrics' declarations into metrics.d.ts (generate-types.js).
import { Metrics } from './metrics';

export interface Interval {
  lower: number;
  upper: number;
  margin: number;
  standardError: number;
  confidenceLevel: number;
}

/** A metric's answer. value is null when the metric is undefined for the
 * data; undefinedReason then says why. */
export interface Result {
  metric: string;
  value: number | null;
  unit: string;
  undefinedReason: string;
  ratio: { numerator: number; denominator: number } | null;
  interval: Interval | null;
  warnings: string[];
  sampleSize: number;
  plugin: string;
  pluginVersion: string;
  /** name -> column -> values */
  tables: Record<string, Record<string, Array<number | string>>>;
  segments: Array<{ key: string[]; result: Result }>;
}

export interface ComputeOptions<P = Record<string, unknown>> {
  parameters?: P;
  groupBy?: string[];
  profile?: string;
}

export interface ClientOptions {
  /** Bearer token (kpi-server --tokens-file). */
  token?: string;
  /** true: TLS with the system's roots; bytes (a Buffer): the CA certificate (PEM). */
  tls?: boolean | Uint8Array;
  timeoutMs?: number;
  /** Rows per message when a call is streamed (default 50000). */
  chunkRows?: number;
  protoDir?: string;
}

/** A failed call: the gRPC code, and the field and row the server named. */
export class KpiError extends Error {
  code: number;
  codeName: string;
  details: string;
  field: string | null;
  row: number | null;
  chunk: number | null;
}

/** A plugin's typed service (Client.typedService): a method per metric,
 * named as in its .proto (ComputeNps), taking the request message as a plain
 * object. */
export interface TypedService {
  /** e.g. 'kpi.plugins.survey.v1.SurveyService' */
  name: string;
  close(): void;
  [method: string]: unknown;
}

export interface ClientBase {
  metrics(): Promise<string[]>;
  describe(metric: string): Promise<unknown>;
  compute(metric: string, data?: Record<string, unknown> | unknown[],
          options?: ComputeOptions): Promise<Result>;
  /** The typed service of a loaded plugin, from the .proto files the server sends. */
  typedService(plugin: string): Promise<TypedService>;
  close(): void;
}

export type Client = ClientBase & Metrics & {
  /** Any other metric (a team's plugin), by name. */
  [metric: string]: unknown;
};
export const Client: { new (target: string, options?: ClientOptions): Client };
