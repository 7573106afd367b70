// TLS for kpi-server's listeners (--tls-cert, --tls-key, --tls-client-ca),
// and the warnings logged at start when a listener is open beyond this host
// without TLS or without any check of who calls.
//
// Thread-safe: functions only.
#ifndef KPI_SERVICE_TRANSPORT_SECURITY_H_
#define KPI_SERVICE_TRANSPORT_SECURITY_H_

#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kpi {

struct TlsFiles {
  // PEM certificate chain (the server's certificate first) and its private
  // key. Both empty: no TLS.
  std::string cert;
  std::string key;
  // PEM CA certificates: when set, clients must present a certificate
  // signed by one of them (mTLS).
  std::string client_ca;
};

struct ServerTls {
  std::shared_ptr<grpc::ServerCredentials> credentials;
  // One line for the start log: what the listener does ("TLS with
  // certificate F (subject ..., valid until ...)...").
  std::string description;
};

// The credentials to listen with: insecure when `files.cert` is empty, else
// TLS, requiring and verifying client certificates when `files.client_ca`
// is set. Every file is read and checked now -- PEM that parses, a key that
// matches the certificate (and that only the server's user may read, see
// secret_file.h), a certificate that has not expired -- so a mistake stops
// the server at start with a message naming the file, instead of failing
// every handshake later.
absl::StatusOr<ServerTls> LoadServerTls(const TlsFiles& files);

// Whether `address`, a gRPC listen address (HOST:PORT, [V6]:PORT, unix:PATH,
// unix-abstract:NAME), can be reached from this host only: a loopback
// address, "localhost", or a Unix socket. Anything else (0.0.0.0, [::], a
// host name, an interface's address) counts as reachable from elsewhere.
bool IsLocalAddress(absl::string_view address);

// The warnings to log when gRPC listens on `address` (`flag` names the
// flag, e.g. "--listen"): without TLS beyond this host, and beyond this
// host with nothing checking who calls (no tokens, no client
// certificates). One line each; none for a local address.
std::vector<std::string> ListenWarnings(absl::string_view flag,
                                        absl::string_view address, bool tls,
                                        bool client_certificates, bool tokens);

// The warning for --metrics-listen on `address` (plain HTTP, no
// authentication) beyond this host; empty for a local address.
std::string MetricsListenWarning(absl::string_view address);

}  // namespace kpi

#endif  // KPI_SERVICE_TRANSPORT_SECURITY_H_
