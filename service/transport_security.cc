#include "transport_security.h"

#include <arpa/inet.h>
#include <grpcpp/security/server_credentials.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <ctime>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "secret_file.h"

namespace kpi {
namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using Bio = std::unique_ptr<BIO, BioFree>;
using Cert = std::unique_ptr<X509, X509Free>;
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;

Bio MemoryBio(const std::string& pem) {
  return Bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// The certificates in `pem`, in order.
std::vector<Cert> ReadCertificates(const std::string& pem) {
  std::vector<Cert> certs;
  Bio bio = MemoryBio(pem);
  while (bio != nullptr) {
    Cert cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (cert == nullptr) break;
    certs.push_back(std::move(cert));
  }
  ERR_clear_error();  // the end of the input reads as an error
  return certs;
}

std::string Subject(X509* cert) {
  Bio out(BIO_new(BIO_s_mem()));
  if (out == nullptr ||
      X509_NAME_print_ex(out.get(), X509_get_subject_name(cert), 0,
                         XN_FLAG_RFC2253) < 0) {
    return "?";
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

std::string Date(const ASN1_TIME* time) {
  struct tm parts = {};
  if (ASN1_TIME_to_tm(time, &parts) != 1) return "?";
  return absl::StrFormat("%04d-%02d-%02d %02d:%02d:%02d UTC",
                         parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                         parts.tm_hour, parts.tm_min, parts.tm_sec);
}

absl::Status Invalid(absl::string_view what, absl::string_view path,
                     absl::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat(what, " ", path, ": ", problem));
}

// The host of a HOST:PORT or [V6]:PORT address.
absl::string_view HostOf(absl::string_view address) {
  if (absl::StartsWith(address, "[")) {
    const size_t close = address.find(']');
    return close == absl::string_view::npos ? address.substr(1)
                                            : address.substr(1, close - 1);
  }
  const size_t colon = address.rfind(':');
  return colon == absl::string_view::npos ? address : address.substr(0, colon);
}

}  // namespace

absl::StatusOr<ServerTls> LoadServerTls(const TlsFiles& files) {
  ServerTls tls;
  if (files.cert.empty()) {
    tls.credentials = grpc::InsecureServerCredentials();
    tls.description = "no TLS";
    return tls;
  }
  constexpr absl::string_view kCertWhat = "TLS certificate";
  absl::StatusOr<std::string> cert_pem = ReadPublicFile(kCertWhat, files.cert);
  if (!cert_pem.ok()) return cert_pem.status();
  std::vector<Cert> chain = ReadCertificates(*cert_pem);
  if (chain.empty()) {
    return Invalid(kCertWhat, files.cert,
                   "holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
  }
  X509* leaf = chain.front().get();
  if (X509_cmp_current_time(X509_get0_notAfter(leaf)) < 0) {
    return Invalid(kCertWhat, files.cert,
                   absl::StrCat("expired on ", Date(X509_get0_notAfter(leaf)),
                                " (subject ", Subject(leaf), ")"));
  }

  constexpr absl::string_view kKeyWhat = "TLS key";
  absl::StatusOr<std::string> key_pem = ReadSecretFile(kKeyWhat, files.key);
  if (!key_pem.ok()) return key_pem.status();
  Bio key_bio = MemoryBio(*key_pem);
  Key key(key_bio == nullptr ? nullptr
                             : PEM_read_bio_PrivateKey(key_bio.get(), nullptr,
                                                       nullptr, nullptr));
  ERR_clear_error();
  if (key == nullptr) {
    return Invalid(kKeyWhat, files.key,
                   "holds no unencrypted PEM private key (-----BEGIN PRIVATE "
                   "KEY-----)");
  }
  if (X509_check_private_key(leaf, key.get()) != 1) {
    ERR_clear_error();
    return Invalid(
        kKeyWhat, files.key,
        absl::StrCat("is not the key of the certificate in ", files.cert));
  }

  grpc::SslServerCredentialsOptions options(
      files.client_ca.empty()
          ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
          : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_key_cert_pairs.push_back({*key_pem, *cert_pem});
  tls.description = absl::StrCat("TLS with certificate ", files.cert,
                                 " (subject ", Subject(leaf), ", valid until ",
                                 Date(X509_get0_notAfter(leaf)), ")");
  if (!files.client_ca.empty()) {
    constexpr absl::string_view kCaWhat = "TLS client CA file";
    absl::StatusOr<std::string> ca_pem =
        ReadPublicFile(kCaWhat, files.client_ca);
    if (!ca_pem.ok()) return ca_pem.status();
    const std::vector<Cert> cas = ReadCertificates(*ca_pem);
    if (cas.empty()) {
      return Invalid(kCaWhat, files.client_ca,
                     "holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    options.pem_root_certs = *ca_pem;
    absl::StrAppend(&tls.description,
                    "; client certificates required, signed by a CA in ",
                    files.client_ca);
  }
  tls.credentials = grpc::SslServerCredentials(options);
  return tls;
}

bool IsLocalAddress(absl::string_view address) {
  if (absl::StartsWith(address, "unix:") ||
      absl::StartsWith(address, "unix-abstract:")) {
    return true;
  }
  const std::string host(HostOf(address));
  if (absl::EqualsIgnoreCase(host, "localhost")) return true;
  unsigned char bytes[16];
  if (inet_pton(AF_INET, host.c_str(), bytes) == 1) return bytes[0] == 127;
  if (inet_pton(AF_INET6, host.c_str(), bytes) == 1) {
    static constexpr unsigned char kLoopback[16] = {0, 0, 0, 0, 0, 0, 0, 0,
                                                    0, 0, 0, 0, 0, 0, 0, 1};
    return std::equal(bytes, bytes + 16, kLoopback);
  }
  return false;
}

std::vector<std::string> ListenWarnings(absl::string_view flag,
                                        absl::string_view address, bool tls,
                                        bool client_certificates, bool tokens) {
  std::vector<std::string> warnings;
  if (IsLocalAddress(address)) return warnings;
  if (!tls) {
    warnings.push_back(absl::StrCat(
        "warning: ", flag, " ", address,
        " accepts calls from other hosts without TLS: requests, results and "
        "bearer tokens cross the network in clear text, readable and "
        "changeable on the way; pass --tls-cert FILE --tls-key FILE, or "
        "listen on 127.0.0.1"));
  }
  if (!tokens && !client_certificates) {
    warnings.push_back(absl::StrCat(
        "warning: ", flag, " ", address,
        " accepts calls from other hosts and nothing checks who calls: "
        "anyone who reaches it may call every method, AdminService/Reload "
        "included; pass --tokens-file FILE (or --tls-client-ca FILE)"));
  }
  return warnings;
}

std::string MetricsListenWarning(absl::string_view address) {
  if (IsLocalAddress(address)) return "";
  return absl::StrCat(
      "warning: --metrics-listen ", address,
      " is plain HTTP without authentication, reachable from other hosts: "
      "anyone who reaches it reads the server's metrics (metric names, call "
      "counts, plugins); bind it to 127.0.0.1 or an address only the "
      "monitoring system reaches");
}

}  // namespace kpi
