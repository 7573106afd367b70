#include "proto_files.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace kpi::cli {
namespace {

// Where `path` goes under `directory`, or an error unless it stays inside.
absl::StatusOr<std::filesystem::path> PathUnder(const std::string& directory,
                                                const std::string& path) {
  const std::filesystem::path relative(path);
  bool inside = !path.empty() && relative.is_relative();
  for (const auto& part : relative) inside = inside && part != "..";
  if (!inside) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the server sent the file path \"", path.substr(0, 200),
        "\", which is not a relative path inside the directory; nothing "
        "written"));
  }
  return std::filesystem::path(directory) / relative;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> WriteProtoFilesUnder(
    const std::string& directory,
    const kpi::v1::GetMetricProtosResponse& response) {
  std::vector<std::filesystem::path> paths;
  for (const kpi::v1::ProtoFile& file : response.files()) {
    absl::StatusOr<std::filesystem::path> path =
        PathUnder(directory, file.path());
    if (!path.ok()) return path.status();
    paths.push_back(*std::move(path));
  }
  std::vector<std::string> written;
  for (size_t i = 0; i < paths.size(); ++i) {
    std::error_code error;
    std::filesystem::create_directories(paths[i].parent_path(), error);
    std::ofstream out(paths[i], std::ios::binary | std::ios::trunc);
    out << response.files(static_cast<int>(i)).content();
    out.close();
    if (error || !out) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot write ", paths[i].string(), ": ",
                       error ? error.message() : std::strerror(errno)));
    }
    written.push_back(paths[i].string());
  }
  return written;
}

}  // namespace kpi::cli
