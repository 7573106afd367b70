#include "reflection_service.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "grpc/reflection/v1/reflection.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"

namespace kpi {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;

template <typename Response>
void NotFound(const std::string& what, Response& response) {
  auto* error = response.mutable_error_response();
  error->set_error_code(static_cast<int>(grpc::StatusCode::NOT_FOUND));
  error->set_error_message(absl::StrCat(what, " not found"));
}

// `file`, then every file it imports (directly or not), each once.
void AddWithImports(const FileDescriptor* file,
                    std::set<const FileDescriptor*>& added,
                    std::vector<const FileDescriptor*>& order) {
  if (!added.insert(file).second) return;
  order.push_back(file);
  for (int i = 0; i < file->dependency_count(); ++i) {
    AddWithImports(file->dependency(i), added, order);
  }
}

template <typename Response>
void AnswerFile(const FileDescriptor* file, const std::string& what,
                Response& response) {
  if (file == nullptr) return NotFound(what, response);
  std::set<const FileDescriptor*> added;
  std::vector<const FileDescriptor*> files;
  AddWithImports(file, added, files);
  auto* answer = response.mutable_file_descriptor_response();
  for (const FileDescriptor* each : files) {
    google::protobuf::FileDescriptorProto proto;
    each->CopyTo(&proto);
    answer->add_file_descriptor_proto(proto.SerializeAsString());
  }
}

}  // namespace

struct ReflectionServices::Answerer {
  std::vector<std::string> compiled_services;
  CurrentTypedMethods typed;

  template <typename Request, typename Response>
  void Answer(const Request& request, Response& response) const {
    response.set_valid_host(request.host());
    *response.mutable_original_request() = request;
    const std::shared_ptr<const TypedMethods> methods = typed();
    const DescriptorPool& pool = methods->pool();
    switch (request.message_request_case()) {
      case Request::kListServices: {
        std::vector<std::string> names = compiled_services;
        for (std::string& name : methods->Services()) {
          names.push_back(std::move(name));
        }
        std::sort(names.begin(), names.end());
        auto* list = response.mutable_list_services_response();
        for (const std::string& name : names) {
          list->add_service()->set_name(name);
        }
        return;
      }
      case Request::kFileByFilename:
        return AnswerFile(pool.FindFileByName(request.file_by_filename()),
                          absl::StrCat("file ", request.file_by_filename()),
                          response);
      case Request::kFileContainingSymbol:
        return AnswerFile(
            pool.FindFileContainingSymbol(request.file_containing_symbol()),
            absl::StrCat("symbol ", request.file_containing_symbol()),
            response);
      case Request::kFileContainingExtension: {
        const auto& wanted = request.file_containing_extension();
        const Descriptor* type =
            pool.FindMessageTypeByName(wanted.containing_type());
        const FieldDescriptor* extension =
            type == nullptr
                ? nullptr
                : pool.FindExtensionByNumber(type, wanted.extension_number());
        return AnswerFile(extension == nullptr ? nullptr : extension->file(),
                          absl::StrCat("extension ", wanted.extension_number(),
                                       " of ", wanted.containing_type()),
                          response);
      }
      case Request::kAllExtensionNumbersOfType: {
        const Descriptor* type =
            pool.FindMessageTypeByName(request.all_extension_numbers_of_type());
        if (type == nullptr) {
          return NotFound(
              absl::StrCat("type ", request.all_extension_numbers_of_type()),
              response);
        }
        std::vector<const FieldDescriptor*> extensions;
        pool.FindAllExtensions(type, &extensions);
        auto* numbers = response.mutable_all_extension_numbers_response();
        numbers->set_base_type_name(type->full_name());
        for (const FieldDescriptor* extension : extensions) {
          numbers->add_extension_number(extension->number());
        }
        return;
      }
      default: {
        auto* error = response.mutable_error_response();
        error->set_error_code(
            static_cast<int>(grpc::StatusCode::UNIMPLEMENTED));
        error->set_error_message("no reflection request in the message");
      }
    }
  }
};

// One version of the protocol: a stream of requests, each answered in turn.
template <typename Service, typename Request, typename Response>
class ReflectionServices::Reflection final : public Service {
 public:
  explicit Reflection(const Answerer* answerer) : answerer_(answerer) {}

  grpc::Status ServerReflectionInfo(
      grpc::ServerContext* /*context*/,
      grpc::ServerReaderWriter<Response, Request>* stream) override {
    Request request;
    while (stream->Read(&request)) {
      Response response;
      answerer_->Answer(request, response);
      if (!stream->Write(response)) break;
    }
    return grpc::Status::OK;
  }

 private:
  const Answerer* const answerer_;
};

ReflectionServices::ReflectionServices(
    std::vector<std::string> compiled_services, CurrentTypedMethods typed)
    : answerer_(new Answerer{std::move(compiled_services), std::move(typed)}) {
  namespace v1 = grpc::reflection::v1;
  namespace v1alpha = grpc::reflection::v1alpha;
  answerer_->compiled_services.push_back(
      v1::ServerReflection::service_full_name());
  answerer_->compiled_services.push_back(
      v1alpha::ServerReflection::service_full_name());
  v1_ = std::make_unique<
      Reflection<v1::ServerReflection::Service, v1::ServerReflectionRequest,
                 v1::ServerReflectionResponse>>(answerer_.get());
  v1alpha_ = std::make_unique<Reflection<v1alpha::ServerReflection::Service,
                                         v1alpha::ServerReflectionRequest,
                                         v1alpha::ServerReflectionResponse>>(
      answerer_.get());
}

ReflectionServices::~ReflectionServices() = default;

grpc::Service* ReflectionServices::v1() { return v1_.get(); }
grpc::Service* ReflectionServices::v1alpha() { return v1alpha_.get(); }

}  // namespace kpi
