// files.cpp — atomic writes, safe directory replacement and crash recovery.
#include "files.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

namespace tfm {

namespace fs = std::filesystem;

namespace {

const char kMarkerPrefix[] = "annotated-transformer-cpp ";

// The target as an absolute path without a trailing separator, so that the temporary
// names beside it ("run.tmp.123") land beside it and not inside it ("run/.tmp.123").
fs::path normalise(const std::string& dir, const std::string& what) {
    if (dir.empty()) throw FileError(what + ": the path is empty");
    fs::path p = fs::absolute(fs::path(dir)).lexically_normal();
    while (!p.has_filename() && p.has_parent_path() && p != p.root_path()) p = p.parent_path();
    if (p == p.root_path() || p.filename() == "." || p.filename() == "..") {
        throw FileError(what + ": '" + dir + "' cannot be replaced; name a directory of its own");
    }
    // Replacing the directory the program runs in (or one holding it) would leave it
    // working in a removed directory: "." is lexically the current directory's own name.
    // Compared as real paths: a symbolic link on the way must not hide it.
    std::error_code ec, ec_p;
    const fs::path cwd = fs::weakly_canonical(fs::current_path(ec), ec);
    const fs::path real = fs::weakly_canonical(p, ec_p);
    const auto [in_p, in_cwd] = std::mismatch(real.begin(), real.end(), cwd.begin(), cwd.end());
    if (!ec && !ec_p && in_p == real.end()) {
        throw FileError(what + ": '" + dir +
                        "' is the current directory or holds it, and cannot be replaced; name a "
                        "directory of its own");
    }
    return p;
}

bool process_alive(long pid) {
    if (pid <= 0 || pid == long(::getpid())) return false;  // our own leftovers are stale
    return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
}

bool is_empty_directory(const fs::path& p) {
    std::error_code ec;
    return fs::is_directory(fs::symlink_status(p, ec)) && fs::is_empty(p, ec) && !ec;
}

// Why nothing can be created in `parent` (called `name`: "its parent directory"), or "".
std::string parent_refusal(const fs::path& parent, const std::string& name) {
    std::error_code ec;
    if (!fs::is_directory(parent, ec)) return name + " '" + parent.string() + "' does not exist";
    if (::access(parent.c_str(), W_OK | X_OK) != 0)
        return name + " '" + parent.string() + "' is not writable: " + std::strerror(errno);
    return "";
}

// Why `p` may not be replaced by a directory of `kind`, or "" if it may.
std::string replace_refusal(const fs::path& p, const std::string& kind, const std::string& shown) {
    std::error_code ec;
    const std::string no_parent = parent_refusal(p.parent_path(), "its parent directory");
    if (!no_parent.empty()) return no_parent;
    const fs::file_status st = fs::symlink_status(p, ec);
    if (!fs::exists(st)) return "";
    if (fs::is_symlink(st)) return "'" + shown + "' is a symbolic link; give the directory itself";
    if (!fs::is_directory(st)) return "'" + shown + "' exists and is not a directory";
    if (is_empty_directory(p)) return "";
    const std::string found = directory_kind(p.string());
    if (found == kind) return "";
    if (!found.empty())
        return "'" + shown + "' holds a " + found + ", not a " + kind +
               "; choose another directory";
    return "'" + shown + "' is a directory this program did not write (it has no " +
           kDirectoryMarker +
           " marker); refusing to replace it: choose a new path or an empty directory";
}

}  // namespace

void fsync_directory(const std::string& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd < 0) return;  // nothing we can flush; the rename itself has happened
    ::fsync(fd);
    ::close(fd);
}

std::size_t regular_file_size(const std::string& path) {
    if (path.empty()) throw FileError("the file name is empty");
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (!fs::exists(st)) {
        throw FileError(
            path + ": " +
            (ec && ec != std::errc::no_such_file_or_directory ? ec.message() : "no such file"));
    }
    if (fs::is_directory(st)) throw FileError(path + ": is a directory, expected a file");
    if (!fs::is_regular_file(st))
        throw FileError(path + ": not a regular file (a device, FIFO or socket)");
    if (::access(path.c_str(), R_OK) != 0)
        throw FileError(path + ": cannot read: " + std::strerror(errno));
    const auto size = fs::file_size(path, ec);
    if (ec) throw FileError(path + ": cannot read its size: " + ec.message());
    return std::size_t(size);
}

std::string read_file(const std::string& path, std::size_t max_bytes) {
    const std::size_t size = regular_file_size(path);
    if (size > max_bytes) {
        throw FileError(path + ": the file is " + std::to_string(size) + " bytes, more than the " +
                        std::to_string(max_bytes) + " this reader accepts");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw FileError(path + ": cannot open: " + std::strerror(errno));
    std::string bytes(size, '\0');
    in.read(bytes.data(), std::streamsize(size));
    if (std::size_t(in.gcount()) != size)
        throw FileError(path + ": read error (did the file change?)");
    return bytes;
}

//! [atomic write]
void write_file_atomically(const std::string& path, const std::string& bytes) {
    static std::atomic<unsigned> counter{0};
    if (path.empty()) throw FileError("cannot write a file with an empty name");
    std::error_code ec;
    if (fs::is_directory(fs::symlink_status(path, ec)))
        throw FileError(path + ": is a directory, expected a file");
    const std::string tmp =
        path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) throw FileError(path + ": cannot create file: " + std::strerror(errno));
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int err = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            throw FileError(path + ": write failed: " + std::strerror(err));
        }
        written += std::size_t(n);
    }
    // fsync before rename: otherwise a power cut can leave the new name on an empty file.
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw FileError(path + ": write failed: " + std::strerror(err));
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw FileError(path +
                        ": cannot rename the temporary file into place: " + std::strerror(err));
    }
    fsync_directory(fs::absolute(path).parent_path());
}
//! [atomic write]

bool is_training_run_kind(const std::string& kind) {
    const std::string suffix = "training run";
    return kind.size() >= suffix.size() &&
           kind.compare(kind.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string directory_kind(const std::string& dir) {
    std::error_code ec;
    const fs::path marker = fs::path(dir) / kDirectoryMarker;
    if (!fs::is_regular_file(fs::symlink_status(marker, ec))) return "";
    std::string text;
    try {
        text = read_file(marker.string(), 4096);
    } catch (const FileError&) {
        return "";
    }
    const std::size_t prefix = sizeof(kMarkerPrefix) - 1;
    if (text.compare(0, prefix, kMarkerPrefix) != 0) return "";
    std::string kind = text.substr(prefix);
    while (!kind.empty() && (kind.back() == '\n' || kind.back() == '\r')) kind.pop_back();
    return kind;
}

namespace {

// Where `path` leads (absolute, through any symbolic link), without a trailing separator;
// a path that cannot be followed (a loop of links, a directory it may not search) is
// taken as written, made absolute, so that two such paths never compare equal by accident.
fs::path resolved(const std::string& path) {
    std::error_code ec;
    fs::path p = fs::weakly_canonical(fs::absolute(fs::path(path), ec), ec);
    if (ec) p = fs::absolute(fs::path(path), ec).lexically_normal();
    while (!p.has_filename() && p.has_parent_path() && p != p.root_path()) p = p.parent_path();
    return p;
}

// The nearest directory above `path` that this book wrote (it carries the marker), or "".
// Whatever is put inside one is lost when the book next replaces it whole.
std::string marked_directory_above(const std::string& path) {
    fs::path p = resolved(path);
    while (p.has_relative_path() && p.has_parent_path() && p != p.parent_path()) {
        p = p.parent_path();
        if (!directory_kind(p.string()).empty()) return p.string();
    }
    return "";
}

void refuse_inside_a_marked_directory(const std::string& path, const std::string& flag) {
    const std::string above = marked_directory_above(path);
    if (!above.empty()) {
        throw FileError(flag + " " + path + ": it is inside " + above + ", a " +
                        directory_kind(above) +
                        " that is replaced whole at its next save; write it elsewhere");
    }
}

}  // namespace

void check_output_directory(const std::string& dir, const std::string& kind,
                            const std::string& flag) {
    const fs::path p = normalise(dir, flag);
    // Inside a run first: that is the real problem with a run's own model/, which the
    // check below would only call "a directory this program did not write".
    refuse_inside_a_marked_directory(dir, flag);
    const std::string why = replace_refusal(p, kind, dir);
    if (!why.empty()) throw FileError(flag + " " + dir + ": " + why);
}

void create_output_directory(const std::string& dir, const std::string& flag) {
    if (dir.empty()) throw FileError(flag + ": the path is empty");
    refuse_inside_a_marked_directory(dir, flag);
    const std::string kind = directory_kind(dir);
    if (!kind.empty()) {
        throw FileError(flag + " " + dir + ": it holds a " + kind +
                        ", which is replaced whole at its next save; write elsewhere");
    }
    std::error_code ec;
    const fs::file_status st = fs::status(dir, ec);
    if (fs::exists(st) && !fs::is_directory(st))
        throw FileError(flag + " " + dir + ": exists and is not a directory");
    fs::create_directories(dir, ec);
    if (ec) throw FileError(flag + " " + dir + ": cannot create it: " + ec.message());
    if (::access(dir.c_str(), W_OK | X_OK) != 0)
        throw FileError(flag + " " + dir + ": cannot write into it: " + std::strerror(errno));
}

void check_output_file(const std::string& path, const std::string& flag) {
    if (path.empty()) throw FileError(flag + ": the path is empty");
    std::error_code ec;
    const fs::file_status st = fs::symlink_status(path, ec);
    if (fs::is_symlink(st))
        throw FileError(flag + " " + path + ": is a symbolic link; give the file itself");
    if (fs::is_directory(st)) throw FileError(flag + " " + path + ": is a directory");
    fs::path parent = fs::path(path).parent_path();
    if (parent.empty()) parent = ".";
    const std::string no_parent = parent_refusal(parent, "its directory");
    if (!no_parent.empty()) throw FileError(flag + " " + path + ": " + no_parent);
    refuse_inside_a_marked_directory(path, flag);
}

void check_not_an_input(const std::string& out, const std::string& out_flag,
                        const std::vector<std::pair<std::string, std::string>>& inputs) {
    const fs::path o = resolved(out);
    for (const auto& [flag, path] : inputs) {
        if (path.empty()) continue;
        const fs::path in = resolved(path);
        if (o == in) {
            throw FileError(out_flag + " " + out + ": it is also " + flag +
                            ", which this program reads; write elsewhere");
        }
        std::error_code ec;
        const bool under_in =
            std::mismatch(in.begin(), in.end(), o.begin(), o.end()).first == in.end();
        if (under_in && fs::is_directory(in, ec)) {
            throw FileError(out_flag + " " + out + ": it is inside " + flag + " " + path +
                            ", which this program reads; write elsewhere");
        }
    }
}

namespace {

// The file a save writes first into its temporary directory, and removes once the
// marker is written.
const char kSaveInProgress[] = ".annotated-transformer-saving";

// Whether `dir` (a temporary name beside a run) was made by replace_directory: it is
// complete (marked), an interrupted save (still marked in progress), or empty.
bool made_by_a_save(const fs::path& dir) {
    std::error_code ec;
    return !directory_kind(dir.string()).empty() ||
           fs::is_regular_file(fs::symlink_status(dir / kSaveInProgress, ec)) ||
           is_empty_directory(dir);
}

// Marks a new temporary directory as a save in progress. A plain create, not an atomic
// write: a kill can leave the file or not, never a half-named one.
void mark_in_progress(const fs::path& dir) {
    const fs::path path = dir / kSaveInProgress;
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) throw FileError(path.string() + ": cannot create: " + std::strerror(errno));
    ::close(fd);
    fsync_directory(dir);  // on disk before anything the save writes after it
}

// Removes a save's directory, its two marks last: removal interrupted half-way still
// leaves a directory that says it is ours.
void remove_save(const fs::path& dir) {
    std::error_code ec;
    std::vector<fs::path> contents;
    for (const fs::directory_entry& e : fs::directory_iterator(dir, ec))
        contents.push_back(e.path());
    for (const fs::path& p : contents) {
        const std::string name = p.filename().string();
        if (name != kSaveInProgress && name != kDirectoryMarker) fs::remove_all(p, ec);
    }
    fs::remove_all(dir, ec);
}

// The temporaries that saves of `target` left beside it, "<name>.tmp.<pid>" (the new copy)
// and "<name>.old.<pid>" (the previous one), of processes that no longer run.
struct Leftover {
    fs::path path;
    bool is_new;
    bool complete;
};
std::vector<Leftover> leftovers_of(const fs::path& target) {
    const std::string stem = target.filename().string();
    std::vector<Leftover> stale;
    std::error_code ec;
    for (const fs::directory_entry& e : fs::directory_iterator(target.parent_path(), ec)) {
        const std::string name = e.path().filename().string();
        for (const char* tag : {".tmp.", ".old."}) {
            const std::string prefix = stem + tag;
            if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0)
                continue;
            const std::string digits = name.substr(prefix.size());
            if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 9)
                continue;
            if (!fs::is_directory(fs::symlink_status(e.path(), ec)) ||
                process_alive(std::stol(digits)))
                continue;
            stale.push_back({e.path(), tag[1] == 't', !directory_kind(e.path().string()).empty()});
        }
    }
    return stale;
}

// The copy to put back when the crash came between the two renames (`target` is missing,
// or an empty directory made since, which holds nothing to keep): a complete new copy
// before the old one; nullptr if there is none.
Leftover* copy_to_put_back(const fs::path& target, std::vector<Leftover>& stale) {
    std::error_code ec;
    if (fs::exists(fs::symlink_status(target, ec)) && !is_empty_directory(target)) return nullptr;
    for (bool want_new : {true, false})
        for (Leftover& l : stale)
            if (l.is_new == want_new && l.complete) return &l;
    return nullptr;
}

}  // namespace

//! [replace directory]
void replace_directory(const std::string& dir, const std::string& kind,
                       const std::function<void(const std::string&)>& fill) {
    const fs::path target = normalise(dir, "save");
    // What an earlier crash left beside `dir` is tidied first: a directory it puts back
    // under `dir` is then checked like any other, and never replaced unseen.
    const std::string recovered = recover_directory(dir, "save");
    const std::string why = replace_refusal(target, kind, dir);
    if (!why.empty()) {
        throw FileError("cannot save into " + dir + ": " + why +
                        (recovered.empty() ? "" : " (" + recovered + ")"));
    }
    const std::string pid = std::to_string(::getpid());
    const fs::path tmp = target.string() + ".tmp." + pid, old = target.string() + ".old." + pid;

    // 1. Everything goes into a fresh temporary directory beside the target. It says it
    //    is a save in progress first, and carries the marker last: a temporary directory
    //    with a marker is a complete one, one with neither is not ours to remove.
    std::error_code ec;
    if (fs::exists(fs::symlink_status(tmp, ec))) {
        if (!made_by_a_save(tmp))
            throw FileError(dir + ": " + tmp.string() + " is in the way, and not a save of ours");
        remove_save(tmp);  // a leftover of our own, from an earlier failed save
    }
    if (!fs::create_directory(tmp, ec))
        throw FileError(dir + ": cannot create " + tmp.string() + ": " + ec.message());
    try {
        mark_in_progress(tmp);
        fill(tmp.string());
        write_file_atomically((tmp / kDirectoryMarker).string(), kMarkerPrefix + kind + "\n");
        fs::remove(tmp / kSaveInProgress);
    } catch (...) {
        remove_save(tmp);
        throw;
    }
    fsync_directory(tmp);
    // 2. Swap it in: the old directory steps aside, the new one takes its name, the old
    //    one is removed (as links, never following them). At every moment a complete
    //    version exists under one of the names, and recover_directory finds it.
    const bool had_old = fs::exists(fs::symlink_status(target, ec));
    if (had_old && ::rename(target.c_str(), old.c_str()) != 0) {
        const int err = errno;
        fs::remove_all(tmp, ec);
        throw FileError(dir + ": cannot move the previous version aside: " + std::strerror(err));
    }
    if (::rename(tmp.c_str(), target.c_str()) != 0) {
        const int err = errno;
        if (had_old) ::rename(old.c_str(), target.c_str());
        fs::remove_all(tmp, ec);
        throw FileError(dir + ": cannot rename the new version into place: " + std::strerror(err));
    }
    fsync_directory(target.parent_path());
    if (had_old) fs::remove_all(old, ec);
}
//! [replace directory]

std::string interrupted_save_of(const std::string& dir) {
    if (dir.empty()) return "";
    fs::path target = fs::absolute(fs::path(dir)).lexically_normal();
    if (!target.has_filename()) target = target.parent_path();  // "run/"
    std::vector<Leftover> stale = leftovers_of(target);
    const Leftover* l = copy_to_put_back(target, stale);
    return l ? l->path.string() : "";
}

std::string recover_directory(const std::string& dir, const std::string& what) {
    const fs::path target = normalise(dir, what);
    const fs::path parent = target.parent_path();
    std::error_code ec;
    if (!fs::is_directory(parent, ec)) return "";
    std::vector<Leftover> stale = leftovers_of(target);
    std::string said;
    if (Leftover* l = copy_to_put_back(target, stale)) {
        if (::rename(l->path.c_str(), target.c_str()) != 0) {
            // It may be the only copy of the run: nothing is removed, and the reader is told.
            throw FileError(
                dir + ": cannot put back " + l->path.filename().string() +
                ", the complete copy an interrupted save left: " + std::strerror(errno));
        }
        said = "recovered " + dir + " from " + l->path.filename().string() + ", the " +
               (l->is_new ? "complete new" : "previous") + " version an interrupted save left";
        l->path.clear();
    }
    std::size_t removed = 0;
    std::string left;
    for (const Leftover& l : stale) {
        if (l.path.empty()) continue;
        // Only what a save of ours made: a marked copy, one still marked as a save in
        // progress, or an empty directory. A directory of the reader's own that happens
        // to have such a name is left alone, and named (a save by an older build of the
        // book, which did not mark its temporaries, looks the same).
        if (!made_by_a_save(l.path)) {
            left += (left.empty() ? "" : ", ") + l.path.filename().string();
            continue;
        }
        remove_save(l.path);
        removed += !fs::exists(fs::symlink_status(l.path, ec));
    }
    if (removed) {
        said += std::string(said.empty() ? "" : "; ") + "removed " + std::to_string(removed) +
                " stale temporary director" + (removed == 1 ? "y" : "ies") + " beside " + dir;
    }
    if (!left.empty()) {
        said += std::string(said.empty() ? "" : "; ") + "left " + left + " beside " + dir +
                ": not marked as a save of this book (remove it yourself if it is one)";
    }
    if (!said.empty()) fsync_directory(parent);
    return said;
}

}  // namespace tfm
