#include "tests/support/temp_dir.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace kpi::testing {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

TempDir::TempDir() {
  char dir_template[] = "/tmp/kpi-test-XXXXXX";
  if (mkdtemp(dir_template) == nullptr) std::abort();
  path_ = dir_template;
  chmod(path_.c_str(), 0755);
}

TempDir::~TempDir() {
  for (const std::string& name : names_) std::remove(File(name).c_str());
  rmdir(path_.c_str());
}

std::string TempDir::File(const std::string& name) const {
  return path_ + "/" + name;
}

std::string TempDir::Install(const std::string& name,
                             const std::string& bytes) {
  const std::string temporary = WriteInPlace(name + ".tmp", bytes);
  names_.erase(name + ".tmp");
  if (std::rename(temporary.c_str(), File(name).c_str()) != 0) std::abort();
  names_.insert(name);
  return File(name);
}

std::string TempDir::WriteInPlace(const std::string& name,
                                  const std::string& bytes) {
  std::ofstream(File(name), std::ios::binary | std::ios::trunc) << bytes;
  chmod(File(name).c_str(), 0755);
  names_.insert(name);
  return File(name);
}

void TempDir::Remove(const std::string& name) {
  std::remove(File(name).c_str());
  names_.erase(name);
}

}  // namespace kpi::testing
