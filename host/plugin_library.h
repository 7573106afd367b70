// PluginLibrary: one loaded plugin shared library and the descriptor its
// entry function returned.
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
#include <string>

#include "absl/status/statusor.h"
#include "kpi/plugin_abi.h"
#include "private_copy.h"

namespace kpi {

class PluginLibrary {
 public:
  // Loads `path`, negotiates the ABI and checks the descriptor's schema.
  // Errors (FAILED_PRECONDITION) say why the file was refused, e.g. "not a
  // loadable shared library: ...", "no entry symbol kpi_plugin_entry",
  // "speaks plugin ABI 2.0, this server speaks 1.0", "malformed schema: ...".
  static absl::StatusOr<std::shared_ptr<const PluginLibrary>> Load(
      const std::string& path);

  PluginLibrary(const PluginLibrary&) = delete;
  PluginLibrary& operator=(const PluginLibrary&) = delete;

  // The plugin file, as found in the plugin directory.
  const std::string& path() const { return path_; }
  // The version of that file this library was loaded from.
  const FileVersion& file_version() const { return copy_.version(); }
  const kpi_plugin_descriptor& descriptor() const { return *descriptor_; }

 private:
  PluginLibrary(std::string path, PrivateCopy copy,
                boost::dll::shared_library library,
                const kpi_plugin_descriptor* descriptor);

  std::string path_;
  PrivateCopy copy_;  // outlives library_: members die in reverse order
  boost::dll::shared_library library_;
  const kpi_plugin_descriptor* descriptor_;  // owned by the library
};

}  // namespace kpi

#endif  // KPI_HOST_PLUGIN_LIBRARY_H_
