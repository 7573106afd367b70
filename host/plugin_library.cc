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
std::string LoadFailureReason(const std::string& file,
                              const std::string& original) {
  void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle != nullptr) {
    dlclose(handle);
    return "dlopen failed";
  }
  const char* reason = dlerror();
  return reason ? absl::StrReplaceAll(reason, {{file, original}})
                : "dlopen failed";
}

}  // namespace

absl::string_view IsolationName(Isolation isolation) {
  return isolation == Isolation::kProcess ? "process" : "none";
}

absl::StatusOr<Isolation> ParseIsolation(absl::string_view name) {
  if (name == "process") return Isolation::kProcess;
  if (name == "none") return Isolation::kNone;
  return absl::InvalidArgumentError(
      absl::StrCat("isolation '", name, "': expected 'process' or 'none'"));
}

absl::Status PluginLibrary::Open(const std::string& file,
                                 const std::string& original) {
  namespace dll = boost::dll;
  boost::dll::fs::error_code error;
  library_ = dll::shared_library(
      file, dll::load_mode::rtld_now | dll::load_mode::rtld_local, error);
  if (error) {
    return absl::FailedPreconditionError(absl::StrCat(
        "not a loadable shared library: ", LoadFailureReason(file, original)));
  }
  if (!library_.has(KPI_PLUGIN_ENTRY_SYMBOL)) {
    return absl::FailedPreconditionError(
        absl::StrCat("no entry symbol ", KPI_PLUGIN_ENTRY_SYMBOL));
  }
  auto& entry = library_.get<std::remove_pointer_t<kpi_plugin_entry_fn>>(
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
  return Adopt(descriptor);
}

absl::Status PluginLibrary::Adopt(const kpi_plugin_descriptor* descriptor) {
  if (descriptor->abi_major != KPI_ABI_VERSION_MAJOR) {
    return absl::FailedPreconditionError(
        absl::StrCat("speaks plugin ABI ", descriptor->abi_major, ".",
                     descriptor->abi_minor, ", this server speaks ",
                     KPI_ABI_VERSION_MAJOR, ".", KPI_ABI_VERSION_MINOR));
  }
  if (absl::Status schema =
          CheckPluginDescriptor(*descriptor, /*code_here=*/worker_ == nullptr);
      !schema.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("malformed schema: ", schema.message()));
  }
  descriptor_ = descriptor;
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<PluginLibrary>> PluginLibrary::WithCopy(
    const std::string& path) {
  absl::StatusOr<PrivateCopy> copy = PrivateCopy::Make(path);
  if (!copy.ok()) return copy.status();
  const FileVersion version = copy->version();
  return std::shared_ptr<PluginLibrary>(
      new PluginLibrary(path, *std::move(copy), version));
}

absl::StatusOr<std::shared_ptr<const PluginLibrary>> PluginLibrary::Load(
    const std::string& path) {
  absl::StatusOr<std::shared_ptr<PluginLibrary>> library = WithCopy(path);
  if (!library.ok()) return library.status();
  if (absl::Status s = (*library)->Open((*library)->copy_->path(), path);
      !s.ok()) {
    return s;
  }
  return std::shared_ptr<const PluginLibrary>(*std::move(library));
}

absl::StatusOr<std::shared_ptr<const PluginLibrary>> PluginLibrary::LoadInPlace(
    const std::string& path) {
  absl::StatusOr<FileVersion> version = VersionOfFile(path);
  if (!version.ok()) return version.status();
  std::shared_ptr<PluginLibrary> library(
      new PluginLibrary(path, std::nullopt, *version));
  if (absl::Status s = library->Open(path, path); !s.ok()) return s;
  return std::shared_ptr<const PluginLibrary>(std::move(library));
}

absl::StatusOr<std::shared_ptr<const PluginLibrary>> PluginLibrary::Load(
    const std::string& path, const PluginLoadOptions& options) {
  absl::StatusOr<std::shared_ptr<PluginLibrary>> made = WithCopy(path);
  if (!made.ok()) return made.status();
  std::shared_ptr<PluginLibrary> library = *std::move(made);
  const std::string file = library->copy_->path();
  // The child knows only the private copy; refusals name the operator's
  // file.
  auto named = [&](const absl::Status& status) {
    return absl::Status(status.code(),
                        absl::StrReplaceAll(status.message(), {{file, path}}));
  };
  // The bytes that will load are the copy's: those are what is checked.
  if (options.allowed_digests != nullptr) {
    if (absl::Status s = options.allowed_digests->Check(file, path); !s.ok()) {
      return named(s);
    }
  }
  if (options.isolation == Isolation::kNone) {
    // The plugin's load-time code proves itself in a child first.
    if (absl::Status s = PluginWorker::Check(file, options.worker); !s.ok()) {
      return named(s);
    }
    if (absl::Status s = library->Open(file, path); !s.ok()) return s;
    return std::shared_ptr<const PluginLibrary>(std::move(library));
  }
  absl::StatusOr<std::shared_ptr<PluginWorker>> worker =
      PluginWorker::Start(file, options.worker);
  if (!worker.ok()) return named(worker.status());
  library->worker_ = *std::move(worker);
  // The worker runs plugin code: what it sent is checked again here.
  if (absl::Status s = library->Adopt(&library->worker_->descriptor());
      !s.ok()) {
    return s;
  }
  return std::shared_ptr<const PluginLibrary>(std::move(library));
}

}  // namespace kpi
