#include "usage.h"

namespace kpi::cli {
namespace {

constexpr absl::string_view kGlobalUsage =
    R"(Usage: kpi [GLOBAL FLAGS] COMMAND [ARGS]

kpi asks a kpi-server to compute customer KPIs (churn rate, NPS, CSAT, ...).
The server's plugins define the metrics; kpi learns their inputs from it.

Commands:
  list                     List the metrics the server provides.
  describe METRIC          Show a metric's unit, plugin, inputs and parameters.
  compute METRIC [NAME=VALUE ...] [--input-json JSON|@FILE|-]
                 [--group-by COLUMN[,COLUMN...]] [--profile NAME]
                           Compute a metric from inputs and parameters,
                           overall and per segment.
  protos DIR [PLUGIN ...]  Write the .proto files of the server's plugins'
                           typed services under DIR, to generate stubs in
                           any language.
  reload                   Make the server re-read its plugin directories
                           and profiles file; show what changed.
  help [COMMAND]           Show this help, or the help of COMMAND.

Global flags (before or after the command):
  --server HOST:PORT   The kpi-server to ask. Default: $KPI_SERVER when set,
                       else 127.0.0.1:50051.
  --json               Print the server's response as JSON (protobuf JSON
                       mapping, proto field names, fields at their default
                       value left out) instead of text.
  --timeout SECONDS    Deadline of each call to the server. Default: 30.
  --token FILE         Send the bearer token in FILE (its first and only
                       word) on every call, for a server started with
                       --tokens-file. Never the token itself on the command
                       line: every user of the machine can read it there.
  --token-env VAR      The same, the token read from the environment
                       variable VAR.
  --tls                Connect with TLS, checking the server's certificate
                       against the system's CAs.
  --tls-ca FILE        Connect with TLS, checking the server's certificate
                       against the CA certificates in FILE (PEM).
  --tls-cert FILE, --tls-key FILE
                       Present this client certificate (PEM) and its key,
                       for a server started with --tls-client-ca (implies
                       --tls).
  --request-id ID      Send ID as the request id (metadata x-request-id) of
                       every call, to find the calls in the server's log:
                       1 to 128 visible ASCII characters without spaces.
                       Without it the server makes one per call. A failed
                       call's error ends with the id the server gave it:
                       (request id ID).
  -h, --help           Show help: of kpi, or of the command it follows.

Exit status:
  0  Success. An undefined metric (e.g. a rate over zero customers) is a
     valid answer and also exits 0.
  1  The server answered with an error; printed on stderr as
     kpi: CODE: message (request id ID)
     e.g. kpi: NOT_FOUND: ... (request id 5f3a9c0e0000002a).
  2  Usage error: a bad flag or command, a NAME that is not an input or
     parameter of the metric, a value that does not parse. Nothing was
     computed.
  3  The server cannot be reached; printed as
     "kpi: cannot reach kpi-server at HOST:PORT: <reason>". A TLS handshake
     that fails (a plaintext client, an untrusted certificate, a missing
     client certificate) looks like this too.

Examples:
  kpi list
  kpi describe nps
  kpi compute churn_rate customers_at_start=1000 customers_lost=50
  kpi compute nps scores=10,9,3,7 confidence_level=0.9
  kpi compute nps scores=10,9,3,7 plan=basic,pro,pro,basic --group-by plan
  kpi compute health_score --input-json @signals.json --profile enterprise
  kpi --server kpi.internal:50051 --json compute nps --input-json @survey.json
  kpi --server kpi.internal:50051 --tls-ca ca.pem --token ~/.kpi-token list
  kpi protos ./proto survey
  kpi reload

Run "kpi help COMMAND" for the details of a command.
)";

constexpr absl::string_view kListUsage =
    R"(Usage: kpi [GLOBAL FLAGS] list

Lists the metrics the server provides, sorted by name, as a table:
  METRIC       the name to give describe and compute
  UNIT         the unit of the metric's value ("%", "score", ...)
  PLUGIN       the plugin that computes it, as plugin@version
  DESCRIPTION  the first sentence of its description

With --json, prints the ListMetricsResponse, which holds each metric's full
description, inputs and parameters.

Global flags: --server HOST:PORT, --json, --timeout SECONDS (see kpi --help).
)";

constexpr absl::string_view kDescribeUsage =
    R"(Usage: kpi [GLOBAL FLAGS] describe METRIC

Shows what METRIC computes and how to call it:
  - its description, unit, and the plugin (plugin@version and file);
  - each input: column (one value per row) or scalar (one value), its type,
    required or optional, its input form ("form records"), "integral" when
    values must be whole numbers, and its range ("range 0 .. 10",
    "range >= 0"; a bound may be the value of a parameter, shown by the
    parameter's name: "range scale_min .. scale_max");
  - each parameter: its type, "required" or its default, the input form
    that needs it ("form records"), its range and allowed values.

Input forms: many metrics take either totals (the "aggregate" form, as
scalars) or raw rows (the "records" form, as columns). A request uses the
inputs of one form; "required" applies within that form. The inputs header
then names the forms: "inputs (a request uses one form: aggregate or
records):".

Types: double, int64, string, timestamp, bool. The server answers NOT_FOUND
(exit 1) when no plugin provides METRIC.

With --json, prints the DescribeMetricResponse.

Global flags: --server HOST:PORT, --json, --timeout SECONDS (see kpi --help).
)";

constexpr absl::string_view kComputeUsage =
    R"(Usage: kpi [GLOBAL FLAGS] compute METRIC [NAME=VALUE ...]
                                       [--input-json JSON|@FILE|-]
                                       [--group-by COLUMN[,COLUMN...]]
                                       [--profile NAME]

Computes METRIC. kpi first asks the server for METRIC's inputs and parameters
(what "kpi describe METRIC" shows), then sends each NAME=VALUE as the input or
parameter called NAME:
  - a column input takes comma-separated values:   scores=10,9,3,7
    ("scores=" is a column with no rows);
  - a scalar input or a parameter takes one value: customers_at_start=1000
Each value is converted to the declared type:
  double     a number: 0.9, 12, 1e3
  int64      a whole number: 1000
  string     the text as it is (use --input-json for strings with commas)
  timestamp  RFC 3339 (2024-01-31T00:00:00Z, 2024-01-31T09:30:00+01:00), a
             date (2024-01-31, midnight UTC), or whole microseconds since
             1970-01-01T00:00:00Z. In a timestamp column, "open", an empty
             item or a JSON null is an open end (no end yet: a subscription
             still running), sent as the largest int64:
               end=2024-03-31,open,,2024-02-15  (rows 2 and 3 are open)
               end=open                         (one row, open)
             ("end=" alone is a column with no rows.)
  bool       true or false
A NAME that is neither an input nor a parameter of METRIC (the error lists
the valid names), or a value that does not convert (the error names the input
and the item, e.g. 'scores: item 3 "x" is not a number'), is a usage error:
exit 2, and nothing is sent to Compute. Everything else (a missing required
input, a value out of range, columns of unequal length) is checked by the
server, which answers INVALID_ARGUMENT (exit 1).

  --input-json JSON|@FILE|-
      Take inputs and parameters from a JSON object too: JSON itself, the
      contents of the file FILE (@FILE), or stdin (-). Keys are names as
      above; a column takes an array, anything else one value; null is the
      same as leaving the key out. Numbers given as strings are accepted; a
      timestamp is a string as above or a number of microseconds; an int64
      must be a whole number (write ones beyond 2^53 as strings). A name given
      both in JSON and as NAME=VALUE takes the NAME=VALUE; a name given twice
      as NAME=VALUE takes the last.
      Example: {"scores": [10, 9, 3], "confidence_level": 0.9}

  --group-by COLUMN[,COLUMN...]
      Also compute METRIC per segment: the rows whose COLUMN values are
      equal. The flag may be repeated (--group-by plan --group-by region is
      --group-by plan,region). A group-by COLUMN is not an input of METRIC:
      give its values like a column input, one per row, as COLUMN=a,b,... or
      a "COLUMN" array in --input-json; they are sent as strings (JSON
      numbers as their text). Naming an input or parameter of METRIC is a
      usage error. Grouping needs row inputs (columns), not totals.

  --profile NAME
      Use the parameter profile NAME of METRIC from the server's profiles
      file (kpi-server --profiles FILE): its parameters apply unless
      NAME=VALUE or --input-json sets them too. A parameter the profile sets
      need not be given, even when it is required. The server answers
      INVALID_ARGUMENT (exit 1) when METRIC has no profile NAME.

Output: the value and its unit, then what the result carries: the ratio
behind a rate, the confidence interval and sample size of a statistic, and
warnings. Values have up to 6 significant digits, interval statistics up to 4.
  churn_rate = 5 %
    ratio: 50 / 1000

  nps = 30 score
    95% interval: 14.69 .. 45.31 (margin ±15.31, SE 7.81)
    sample size: 100
An undefined result (e.g. a rate over zero customers) is a valid answer:
  churn_rate is undefined: <reason>
and exits 0.

A metric whose answer is a table (funnel stages, a cohort matrix, ...)
prints each table after those lines, its columns aligned under their names:
numbers right-aligned (doubles with up to 6 significant digits), strings and
timestamps (RFC 3339 in UTC; an open end as "open") left-aligned:
  funnel_conversion = 12.5 %
    table stages:
      stage     entered  share  first_seen
      visit        1000    100  2024-01-01T00:00:00Z
      checkout      125   12.5  2024-01-03T00:00:00Z

With --group-by, the overall result comes first, then one line per segment
(its key, then its value and unit, or why it is undefined), sorted by key;
a segment's warnings and tables follow it, indented:
  churn_rate = 5 %
    ratio: 50 / 1000
  segments by plan, region:
    basic, eu: 4 %
    pro, us: undefined: customers_at_start is 0

With --json, prints the ComputeResponse, tables and segments included.

Examples:
  kpi compute churn_rate customers_at_start=1000 customers_lost=50
  kpi compute nps scores=10,9,3,7 confidence_level=0.9
  kpi compute nps --input-json '{"scores": [10, 9, 3], "promoter_min": 8}'
  kpi compute nps --input-json @survey.json confidence_level=0.99
  export-scores | kpi compute nps --input-json -
  kpi compute nps scores=10,9,3,7 plan=basic,pro,pro,basic --group-by plan
  kpi compute churn_rate --input-json @subscriptions.json --group-by plan \
      period_start=2024-01-01 period_end=2024-01-31
  kpi compute health_score customer=c1,c1 signal=usage,nps value=80,40 \
      --profile enterprise

Global flags: --server HOST:PORT, --json, --timeout SECONDS (see kpi --help).
)";

constexpr absl::string_view kReloadUsage =
    R"(Usage: kpi [GLOBAL FLAGS] reload

Asks the server to re-read its plugin directories and its profiles file
without a restart, as SIGHUP does (kpi.v1.AdminService/Reload). New, changed
and removed plugin files take effect for calls that start afterwards; calls
already running finish on the version they started with. A changed file that
the server refuses leaves its previous version serving.

Prints one line per plugin file that changed, then what the server serves:
  loaded    churn_extra 1.0.0  /plugins/churn_extra.so
  replaced  team_health 1.3.0  /plugins/team_health.so
  removed   journey 1.0.0  /plugins/kpi_plugin_journey.so
  kept      team_nps 2.1.0  /plugins/team_nps.so: new version refused: <reason>
  refused   /plugins/broken.so: <reason>
  serving 28 metrics, 2 profiles
("kept": the changed file was refused; the version shown keeps serving.)
When no plugin file changed, "no plugin file changed" instead of the change
lines. A refused file is a result, not a failure: exit 0.

The server answers NOT_FOUND when a plugin directory is gone and
INVALID_ARGUMENT when the profiles file does not parse (exit 1); then
nothing changed.

With --json, prints the ReloadResponse.

Global flags: --server HOST:PORT, --json, --timeout SECONDS (see kpi --help).
)";

constexpr absl::string_view kProtosUsage =
    R"(Usage: kpi [GLOBAL FLAGS] protos DIR [PLUGIN ...]

Writes the .proto files of the typed services of the server's loaded
plugins (kpi.v1.MetricService/GetMetricProtos) under DIR, one per plugin, at
its import path, and prints the paths written:
  DIR/kpi/plugins/survey/v1/survey.proto
Each file is package kpi.plugins.PLUGIN.vMAJOR with a service PLUGINService
and a method ComputeMETRIC per metric, its fields the metric's inputs and
parameters (docs/clients.md, "Typed methods from the declarations"). The
kpi.v1 files they import come with them (DIR/kpi/v1/result.proto and
values.proto), so protoc compiles them for any language with nothing else:
  protoc -I DIR --python_out=gen $(find DIR -name '*.proto')

With PLUGIN names, only those plugins' files (`kpi list` shows each
metric's plugin); an unknown one is NOT_FOUND (exit 1) and nothing is
written. Existing files are overwritten. With --json, also prints the
GetMetricProtosResponse.

Global flags: --server HOST:PORT, --json, --timeout SECONDS (see kpi --help).
)";

}  // namespace

absl::string_view Usage(std::optional<Command> command) {
  if (!command.has_value()) return kGlobalUsage;
  switch (*command) {
    case Command::kList:
      return kListUsage;
    case Command::kDescribe:
      return kDescribeUsage;
    case Command::kCompute:
      return kComputeUsage;
    case Command::kReload:
      return kReloadUsage;
    case Command::kProtos:
      return kProtosUsage;
  }
  return kGlobalUsage;
}

}  // namespace kpi::cli
