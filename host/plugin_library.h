// PluginLibrary: one loaded plugin and the descriptor its entry function
// returned -- loaded into this process, or (Isolation::kProcess) into a
// supervised worker process that runs all of its code (plugin_worker.h),
// with a copy of its descriptor here.
//
// The library is loaded from a private copy of the file (private_copy.h), so
// the file may be replaced or rewritten while the old version serves.
// Loading runs no plugin code but the entry function, and only after the
// file has loaded (RTLD_NOW | RTLD_LOCAL, so an unresolved symbol fails here
// and plugins cannot see each other's symbols) and exports the entry symbol.
// The library stays mapped while any shared_ptr to its PluginLibrary lives:
// every Metric and every metric state holds one, so a library is never
// unloaded under a running call.
//
// Thread-safe: a PluginLibrary is immutable after Load().
#ifndef KPI_HOST_PLUGIN_LIBRARY_H_
#define KPI_HOST_PLUGIN_LIBRARY_H_

#include <boost/dll/shared_library.hpp>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "descriptor_wire.h"
#include "kpi/plugin_abi.h"
#include "plugin_digests.h"
#include "plugin_worker.h"
#include "private_copy.h"

namespace kpi {

// Where a plugin's code runs.
enum class Isolation {
  // In a worker process the server supervises: no plugin fault can end the
  // server. The default.
  kProcess,
  // In the server process: no copy of chunks, no round trips; a plugin's
  // crash is the server's. For trusted plugins only. Load-time code (entry,
  // conformance checks) still runs in a child first.
  kNone,
};
// "process" or "none".
absl::string_view IsolationName(Isolation isolation);
// INVALID_ARGUMENT for anything but "process" and "none".
absl::StatusOr<Isolation> ParseIsolation(absl::string_view name);

struct PluginLoadOptions {
  Isolation isolation = Isolation::kProcess;
  // The worker (kProcess) or load-time child (kNone); its run_checks says
  // whether the conformance checks run before the plugin serves.
  WorkerOptions worker;
  // When set, the private copy's SHA-256 must be listed, or the plugin is
  // refused before any of its code runs.
  std::shared_ptr<const PluginDigests> allowed_digests;
};

class PluginLibrary {
 public:
  // Loads a private copy of `path` (made here) as `options` say: the
  // entry function, the schema check and (with options.worker.run_checks)
  // the conformance checks run in a child process, never in this one; a
  // plugin that crashes or hangs there is refused like any broken plugin.
  static absl::StatusOr<std::shared_ptr<const PluginLibrary>> Load(
      const std::string& path, const PluginLoadOptions& options);

  // Loads `path`, negotiates the ABI and checks the descriptor's schema.
  // Errors (FAILED_PRECONDITION) say why the file was refused, e.g. "not a
  // loadable shared library: ...", "no entry symbol kpi_plugin_entry",
  // "speaks plugin ABI 2.0, this server speaks 1.0", "malformed schema: ...".
  // Loaded into this process, with nothing run in a child: for tools that
  // check a plugin (kpi-plugin) and for the plugin worker itself.
  static absl::StatusOr<std::shared_ptr<const PluginLibrary>> Load(
      const std::string& path);
  // The same, without a private copy: `path` already is one (the worker
  // loads the server's copy).
  static absl::StatusOr<std::shared_ptr<const PluginLibrary>> LoadInPlace(
      const std::string& path);

  PluginLibrary(const PluginLibrary&) = delete;
  PluginLibrary& operator=(const PluginLibrary&) = delete;

  // The plugin file, as found in the plugin directory.
  const std::string& path() const { return path_; }
  // The version of that file this library was loaded from.
  const FileVersion& file_version() const { return version_; }
  const kpi_plugin_descriptor& descriptor() const { return *descriptor_; }
  // The worker running this plugin's code, or null when it runs in this
  // process (the descriptor's functions may then be called).
  PluginWorker* worker() const { return worker_.get(); }

 private:
  PluginLibrary(std::string path, std::optional<PrivateCopy> copy,
                FileVersion version)
      : path_(std::move(path)), copy_(std::move(copy)), version_(version) {}
  // A library (nothing loaded yet) for a fresh private copy of `path`.
  static absl::StatusOr<std::shared_ptr<PluginLibrary>> WithCopy(
      const std::string& path);
  // dlopen()s `file`, negotiates the ABI and checks the schema.
  absl::Status Open(const std::string& file, const std::string& original);
  // Takes `descriptor` after checking its ABI version and schema.
  absl::Status Adopt(const kpi_plugin_descriptor* descriptor);

  std::string path_;
  // Outlives what is loaded from it: members die in reverse order.
  std::optional<PrivateCopy> copy_;
  FileVersion version_;
  boost::dll::shared_library library_;    // in process
  std::shared_ptr<PluginWorker> worker_;  // isolated
  const kpi_plugin_descriptor* descriptor_ = nullptr;
};

}  // namespace kpi

#endif  // KPI_HOST_PLUGIN_LIBRARY_H_
