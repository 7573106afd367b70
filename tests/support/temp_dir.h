// Test support: a private directory of files, e.g. a plugin directory whose
// plugins a test replaces while a server runs.
#ifndef KPI_TESTS_SUPPORT_TEMP_DIR_H_
#define KPI_TESTS_SUPPORT_TEMP_DIR_H_

#include <set>
#include <string>

namespace kpi::testing {

// The whole contents of the file at `path`; "" if it cannot be read.
std::string ReadFile(const std::string& path);

// A directory of its own under /tmp, mode 0755 (kpi-server refuses plugins
// in a directory every user can write), removed with the files put in it.
class TempDir {
 public:
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  const std::string& path() const { return path_; }
  // The path of `name` in this directory.
  std::string File(const std::string& name) const;

  // `bytes` as the file `name` (mode 0755), written under a temporary name
  // and renamed over `name` as install(1) does: a reader never sees half a
  // file, and the file is a new inode. Returns the file's path.
  std::string Install(const std::string& name, const std::string& bytes);
  // `bytes` written into `name` through the existing file, as cp(1) does.
  std::string WriteInPlace(const std::string& name, const std::string& bytes);
  void Remove(const std::string& name);

 private:
  std::string path_;
  std::set<std::string> names_;
};

}  // namespace kpi::testing

#endif  // KPI_TESTS_SUPPORT_TEMP_DIR_H_
