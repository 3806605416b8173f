// files.hpp — reading and writing files so that nothing is ever half-written or lost.
//
// A training run writes checkpoints for an hour; a kill, a full disk or a power cut can
// come at any moment. Three rules keep the user's files safe, and every chapter writes
// through this one module (on std::filesystem) so they hold everywhere:
//
// 1. A file is written to a temporary name beside its target, flushed to disk (fsync),
//    and renamed over the target: rename is atomic, so a reader sees the old file or the
//    new one, never half of one. The directory is fsynced too, so the rename survives a
//    power cut.
// 2. A directory (a checkpoint) is replaced the same way: filled under a temporary name,
//    marked complete, then swapped in. A crash between the two renames leaves a complete
//    copy under a temporary name; `recover_directory` puts it back.
// 3. Only directories this book wrote are ever replaced or removed. Each carries a small
//    marker file naming its kind; a directory without one (your photos, your home
//    directory) is refused with an error, never emptied. Removal never follows a symbolic
//    link: a link inside a checkpoint is removed as a link, its target untouched.
//
// Reading checks before it allocates: a path that is a directory, a device or too large
// is refused with a message that names it.
#pragma once

#include <cstddef>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace tfm {

/// Thrown when a file or directory cannot be read or written; the message names it.
class FileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The largest file read_file reads whole unless told otherwise (1 GiB).
inline constexpr std::size_t kMaxReadBytes = std::size_t(1) << 30;

/// Reads a regular file whole. A missing, unreadable, non-regular (directory, device,
/// FIFO) or larger-than-`max_bytes` file is a FileError naming the path and the problem.
std::string read_file(const std::string& path, std::size_t max_bytes = kMaxReadBytes);

/// The size of a regular file, with read_file's checks (it must exist, be readable and
/// be a regular file).
std::size_t regular_file_size(const std::string& path);

/// Flushes a directory's entries (names created, renamed or linked in it) to the disk;
/// a directory that cannot be opened is left as it is.
void fsync_directory(const std::string& dir);

/// Writes `bytes` to `path` atomically: temporary file, fsync, rename, fsync of the
/// directory. Readers see the old file or the new one, never half of one.
void write_file_atomically(const std::string& path, const std::string& bytes);

/// The marker file every directory written by replace_directory carries.
inline constexpr const char* kDirectoryMarker = ".annotated-transformer";

/// The kind recorded in `dir`'s marker ("model", "training run", ...), or "" if `dir`
/// has no marker (or is not a directory).
std::string directory_kind(const std::string& dir);

/// True when `kind` names a training run: every run's kind ends with "training run"
/// ("translation training run"), and every other directory's (a model, an export) does
/// not. A run is put back by training it again with --resume; a model, by saving it again.
bool is_training_run_kind(const std::string& kind);

/// Checks, before any work starts, that `dir` can later be written by replace_directory
/// with this `kind`: its parent is an existing writable directory, and `dir` is absent,
/// an empty directory, or a directory of this kind written by this book, and not inside
/// another such directory (replaced whole at its next save, it would take `dir` along). Otherwise a
/// FileError says what is there and what to do. `flag` names the option ("--out").
void check_output_directory(const std::string& dir, const std::string& kind,
                            const std::string& flag);

/// Makes `dir` (and any missing parents) for a program's output files, before the work
/// that fills it: a path that is a file, or under one, or not writable, or inside a
/// directory this book replaces whole at its next save (a run, a model), is a FileError in
/// one line, naming `flag` ("--out"). An existing directory is kept as it is.
void create_output_directory(const std::string& dir, const std::string& flag);

/// Checks, before the work, that an output file can be written at `path` (named by
/// `flag`, "--output"): its directory exists and is writable, and `path` is neither a
/// directory, nor a symbolic link (written atomically, the link would be replaced, not
/// followed), nor inside a directory this book replaces whole at its next save.
void check_output_file(const std::string& path, const std::string& flag);

/// Checks, before the work, that output `out` (named by `out_flag`) destroys none of the
/// program's inputs: it is none of them (through any link), and inside none that is a
/// directory (a model's directory holds its files and nothing else). `inputs` pairs each
/// input's flag with its path; empty paths are skipped. Otherwise a FileError in one line.
void check_not_an_input(const std::string& out, const std::string& out_flag,
                        const std::vector<std::pair<std::string, std::string>>& inputs);

/// Replaces directory `dir` atomically with new contents of the given kind: `fill`
/// writes them into a fresh temporary directory beside `dir`, the marker is written
/// last, and the temporary directory is renamed into place (the previous `dir` steps
/// aside first and is removed last). If `fill` throws, `dir` is untouched. What an
/// interrupted save left is put back first (recover_directory); then a directory that is
/// not empty and not of this kind is refused (FileError).
void replace_directory(const std::string& dir, const std::string& kind,
                       const std::function<void(const std::string&)>& fill);

/// Repairs what a crash in the middle of replace_directory can leave beside `dir`: if
/// `dir` is missing (or an empty directory) but a complete new or old copy survives under
/// a temporary name, it is renamed back, and if that fails a FileError names the copy and
/// nothing is removed; the stale temporaries of saves whose processes no longer run are
/// removed (a directory with such a name that no save marked is left, and named).
/// Returns a sentence saying what was done ("" when there was nothing to do). A path
/// that can never be a run's (empty, the current directory) is a FileError that starts
/// with `what` (the flag that named it).
std::string recover_directory(const std::string& dir, const std::string& what = "recover");

/// What recover_directory would put back in place of a missing `dir`: the path of the
/// complete copy an interrupted save left beside it (".../run.tmp.4242"), or "" if there
/// is none. Only looks: a program that reads a directory names the copy in its error, and
/// leaves the repair to the reader.
std::string interrupted_save_of(const std::string& dir);

/// A fresh, empty directory under the system's temporary directory, removed (with
/// everything in it) when this object goes out of scope. For tests and demos.
class ScratchDirectory {
public:
    explicit ScratchDirectory(const std::string& tag);
    ~ScratchDirectory();
    ScratchDirectory(const ScratchDirectory&) = delete;
    ScratchDirectory& operator=(const ScratchDirectory&) = delete;

    const std::string& path() const { return path_; }
    /// path() + "/" + name.
    std::string operator/(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

}  // namespace tfm
