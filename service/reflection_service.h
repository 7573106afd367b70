// Server reflection, grpc.reflection.v1 and v1alpha, over the server's own
// descriptors: the compiled-in services (kpi.v1, health, reflection) and the
// typed methods made from the loaded plugins' declarations
// (typed_methods.h), as they are after the last reload. So buf curl and
// grpcurl list and call a team's plugin metric by its typed method with no
// .proto file at hand. gRPC 1.51's own reflection knows compiled-in types
// only.
//
// Answers list_services, file_by_filename, file_containing_symbol,
// file_containing_extension and all_extension_numbers_of_type; a file comes
// with every file it imports. Unknown names get NOT_FOUND in the response's
// error, as the protocol says, and the stream goes on.
#ifndef KPI_SERVICE_REFLECTION_SERVICE_H_
#define KPI_SERVICE_REFLECTION_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "typed_methods.h"

namespace kpi {

class ReflectionServices {
 public:
  using CurrentTypedMethods =
      std::function<std::shared_ptr<const TypedMethods>()>;

  // `compiled_services`: the full names of the compiled-in services the
  // server serves besides reflection; `typed` gives the typed methods now
  // served.
  ReflectionServices(std::vector<std::string> compiled_services,
                     CurrentTypedMethods typed);
  ~ReflectionServices();

  // Register both with the server builder.
  grpc::Service* v1();
  grpc::Service* v1alpha();

 private:
  template <typename Service, typename Request, typename Response>
  class Reflection;
  struct Answerer;

  std::unique_ptr<Answerer> answerer_;
  std::unique_ptr<grpc::Service> v1_;
  std::unique_ptr<grpc::Service> v1alpha_;
};

}  // namespace kpi

#endif  // KPI_SERVICE_REFLECTION_SERVICE_H_
