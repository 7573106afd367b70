#include "plugin_library.h"

#include <dlfcn.h>

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "schema_check.h"

namespace kpi {
namespace {

// Why `path` does not load. Boost.DLL clears dlerror() and reports only
// "bad file descriptor", so the loader's own words ("invalid ELF header",
// "undefined symbol: ...") come from one more dlopen of the same file.
// They name the private copy; the operator knows the original.
std::string LoadFailureReason(const PrivateCopy& copy,
                              const std::string& original) {
  void* handle = dlopen(copy.path().c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle != nullptr) {
    dlclose(handle);
    return "dlopen failed";
  }
  const char* reason = dlerror();
  return reason ? absl::StrReplaceAll(reason, {{copy.path(), original}})
                : "dlopen failed";
}

}  // namespace

PluginLibrary::PluginLibrary(std::string path, PrivateCopy copy,
                             boost::dll::shared_library library,
                             const kpi_plugin_descriptor* descriptor)
    : path_(std::move(path)),
      copy_(std::move(copy)),
      library_(std::move(library)),
      descriptor_(descriptor) {}

absl::StatusOr<std::shared_ptr<const PluginLibrary>> PluginLibrary::Load(
    const std::string& path) {
  namespace dll = boost::dll;
  absl::StatusOr<PrivateCopy> copy = PrivateCopy::Make(path);
  if (!copy.ok()) return copy.status();
  boost::dll::fs::error_code error;
  dll::shared_library library(
      copy->path(), dll::load_mode::rtld_now | dll::load_mode::rtld_local,
      error);
  if (error) {
    return absl::FailedPreconditionError(absl::StrCat(
        "not a loadable shared library: ", LoadFailureReason(*copy, path)));
  }
  if (!library.has(KPI_PLUGIN_ENTRY_SYMBOL)) {
    return absl::FailedPreconditionError(
        absl::StrCat("no entry symbol ", KPI_PLUGIN_ENTRY_SYMBOL));
  }
  auto& entry = library.get<std::remove_pointer_t<kpi_plugin_entry_fn>>(
      KPI_PLUGIN_ENTRY_SYMBOL);
  kpi_error plugin_error{};
  const kpi_plugin_descriptor* descriptor =
      entry(KPI_ABI_VERSION_MAJOR, KPI_ABI_VERSION_MINOR, &plugin_error);
  if (descriptor == nullptr) {
    plugin_error.message[sizeof(plugin_error.message) - 1] = '\0';
    return absl::FailedPreconditionError(absl::StrCat(
        "plugin declined to load: ",
        plugin_error.message[0] ? plugin_error.message : "no reason given"));
  }
  if (descriptor->abi_major != KPI_ABI_VERSION_MAJOR) {
    return absl::FailedPreconditionError(
        absl::StrCat("speaks plugin ABI ", descriptor->abi_major, ".",
                     descriptor->abi_minor, ", this server speaks ",
                     KPI_ABI_VERSION_MAJOR, ".", KPI_ABI_VERSION_MINOR));
  }
  if (absl::Status schema = CheckPluginDescriptor(*descriptor); !schema.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("malformed schema: ", schema.message()));
  }
  return std::shared_ptr<const PluginLibrary>(new PluginLibrary(
      path, *std::move(copy), std::move(library), descriptor));
}

}  // namespace kpi
