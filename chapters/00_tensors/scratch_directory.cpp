// scratch_directory.cpp — a fresh temporary directory that removes itself (files.hpp),
// for the tests and the chapters' demos.
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "files.hpp"

namespace tfm {

namespace fs = std::filesystem;

ScratchDirectory::ScratchDirectory(const std::string& tag) {
    std::error_code ec;
    const fs::path tmp = fs::temp_directory_path(ec);  // $TMPDIR, or /tmp
    if (ec) {
        // The first of the variables the standard library reads that is set named it.
        std::string named = "/tmp";
        for (const char* var : {"TMPDIR", "TMP", "TEMP", "TEMPDIR"}) {
            if (const char* value = std::getenv(var)) {
                named = std::string(var) + "=" + value;
                break;
            }
        }
        throw FileError("no directory for temporary files (" + named + "): " + ec.message());
    }
    std::string pattern = (tmp / ("tfm_" + tag + "_XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw FileError("cannot create a temporary directory " + pattern + ": " +
                        std::strerror(errno));
    }
    path_ = pattern;
}

ScratchDirectory::~ScratchDirectory() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

}  // namespace tfm
