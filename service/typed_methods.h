// TypedMethods: the typed API made from one registry's metric declarations
// (metric_protos.h) as the server serves it -- every method by its path,
// "/kpi.plugins.survey.v1.SurveyService/ComputeNps", with the prototypes of
// its request and response, which are dynamic messages of the generated
// types (their kpi.v1.MetricResult and google.protobuf.Timestamp fields
// are the compiled classes).
//
// Immutable once built; a reload builds another from the new registry, so a
// plugin that changes its declarations changes its methods with it, while
// calls that started keep the set they started with.
#ifndef KPI_SERVICE_TYPED_METHODS_H_
#define KPI_SERVICE_TYPED_METHODS_H_

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/message.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "metric_registry.h"

namespace kpi {

class TypedMethods {
 public:
  struct Method {
    std::string name;    // "ComputeNps"
    std::string metric;  // "nps"
    const google::protobuf::Message* request;
    const google::protobuf::Message* response;
  };

  // The methods of every plugin of `registry`.
  static std::shared_ptr<const TypedMethods> Build(
      std::shared_ptr<const MetricRegistry> registry);

  TypedMethods(const TypedMethods&) = delete;
  TypedMethods& operator=(const TypedMethods&) = delete;

  // The method served at `path`, or null.
  const Method* Find(absl::string_view path) const;
  // Every method's path, sorted.
  std::vector<std::string> Paths() const;
  // The full names of the services, sorted.
  std::vector<std::string> Services() const;
  // The typed methods' files, over the compiled-in ones (its underlay).
  const google::protobuf::DescriptorPool& pool() const { return pool_; }
  // Whether these are `registry`'s methods. They keep no plugin loaded:
  // the descriptors are copies.
  bool BuiltFrom(const MetricRegistry* registry) const {
    const std::shared_ptr<const MetricRegistry> from = registry_.lock();
    return from != nullptr && from.get() == registry;
  }

 private:
  explicit TypedMethods(std::weak_ptr<const MetricRegistry> registry);

  const std::weak_ptr<const MetricRegistry> registry_;
  google::protobuf::DescriptorPool pool_;
  google::protobuf::DynamicMessageFactory factory_;
  absl::flat_hash_map<std::string, Method> methods_;
};

}  // namespace kpi

#endif  // KPI_SERVICE_TYPED_METHODS_H_
