#include "typed_methods.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "metric_protos.h"

namespace kpi {

TypedMethods::TypedMethods(std::weak_ptr<const MetricRegistry> registry)
    : registry_(std::move(registry)),
      // Imports (kpi/v1/result.proto, the Timestamp) resolve to the
      // compiled-in types.
      pool_(google::protobuf::DescriptorPool::generated_pool()),
      factory_(&pool_) {
  // Fields of compiled types are made as the compiled classes, which the
  // typed path (call_args.h, the result's field) reads as such.
  factory_.SetDelegateToGeneratedFactory(true);
}

std::shared_ptr<const TypedMethods> TypedMethods::Build(
    std::shared_ptr<const MetricRegistry> registry) {
  std::shared_ptr<TypedMethods> methods(new TypedMethods(registry));
  for (const auto& library : registry->plugins()) {
    const google::protobuf::FileDescriptor* file =
        methods->pool_.BuildFile(PluginProtoFile(library->descriptor()));
    // Names are checked at load, so every file builds; one that does not
    // leaves its plugin to Compute.
    if (file == nullptr) continue;
    for (int s = 0; s < file->service_count(); ++s) {
      const google::protobuf::ServiceDescriptor* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        const google::protobuf::MethodDescriptor* rpc = service->method(m);
        methods->methods_.emplace(
            absl::StrCat("/", service->full_name(), "/", rpc->name()),
            Method{rpc->name(), library->descriptor().metrics[m].name,
                   methods->factory_.GetPrototype(rpc->input_type()),
                   methods->factory_.GetPrototype(rpc->output_type())});
      }
    }
  }
  return methods;
}

const TypedMethods::Method* TypedMethods::Find(absl::string_view path) const {
  auto found = methods_.find(path);
  return found == methods_.end() ? nullptr : &found->second;
}

std::vector<std::string> TypedMethods::Paths() const {
  std::vector<std::string> paths;
  for (const auto& [path, method] : methods_) paths.push_back(path);
  std::sort(paths.begin(), paths.end());
  return paths;
}

std::vector<std::string> TypedMethods::Services() const {
  std::vector<std::string> services;
  for (const std::string& path : Paths()) {
    std::string service = path.substr(1, path.rfind('/') - 1);
    if (services.empty() || services.back() != service) {
      services.push_back(std::move(service));
    }
  }
  return services;
}

}  // namespace kpi
