#include "admin_service.h"

#include "metric_service.h"

namespace kpi {
namespace {

v1::PluginChangeKind ToProto(PluginChange::Kind kind) {
  switch (kind) {
    case PluginChange::Kind::kLoaded:
      return v1::PLUGIN_CHANGE_KIND_LOADED;
    case PluginChange::Kind::kReplaced:
      return v1::PLUGIN_CHANGE_KIND_REPLACED;
    case PluginChange::Kind::kRemoved:
      return v1::PLUGIN_CHANGE_KIND_REMOVED;
    case PluginChange::Kind::kKeptPrevious:
      return v1::PLUGIN_CHANGE_KIND_KEPT_PREVIOUS;
    case PluginChange::Kind::kRefused:
      return v1::PLUGIN_CHANGE_KIND_REFUSED;
  }
  return v1::PLUGIN_CHANGE_KIND_UNSPECIFIED;
}

}  // namespace

v1::ReloadResponse ReloadReport(const ServingConfig& reloaded) {
  v1::ReloadResponse report;
  for (const PluginChange& change : reloaded.registry->changes()) {
    v1::PluginChange* out = report.add_changes();
    out->set_kind(ToProto(change.kind));
    out->set_file(change.path);
    out->set_plugin(change.plugin);
    out->set_plugin_version(change.version);
    out->set_reason(change.reason);
  }
  report.set_metric_count(
      static_cast<int>(reloaded.registry->metrics().size()));
  report.set_profile_count(reloaded.profiles->size());
  return report;
}

grpc::ServerUnaryReactor* AdminServiceImpl::Reload(
    grpc::CallbackServerContext* context, const v1::ReloadRequest*,
    v1::ReloadResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (absl::Status allowed =
          AuthorizeAdminCall(authorizer_, *context, "Reload");
      !allowed.ok()) {
    reactor->Finish(ToGrpc(allowed));
    return reactor;
  }
  reloader_.Submit([this, reactor, response] {
    absl::StatusOr<ServingConfig> reloaded = config_->Reload();
    if (!reloaded.ok()) {
      reactor->Finish(ToGrpc(reloaded.status()));
      return;
    }
    *response = ReloadReport(*reloaded);
    reactor->Finish(grpc::Status::OK);
  });
  return reactor;
}

}  // namespace kpi
