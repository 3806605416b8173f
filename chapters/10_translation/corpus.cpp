// corpus.cpp — Multi30k's files, read and paired.
#include "corpus.hpp"

#include <filesystem>

namespace tfm {

std::string download_hint(const std::string& dir) {
    return "download Multi30k with: scripts/download-data.sh multi30k " + dir;
}

ParallelText read_parallel(const std::string& dir, const std::string& split,
                           const std::string& src_lang, const std::string& tgt_lang) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        if (std::filesystem::exists(dir, ec))
            throw DataError("--data " + dir +
                            ": not a directory (give the directory of the six files)");
        throw DataError("--data " + dir + ": no such directory; " + download_hint(dir));
    }
    const std::string src_path = dir + "/" + split + "." + src_lang + ".gz";
    const std::string tgt_path = dir + "/" + split + "." + tgt_lang + ".gz";
    for (const std::string& p : {src_path, tgt_path}) {
        if (!std::filesystem::exists(p, ec))
            throw DataError(p + ": no such file; " + download_hint(dir));
    }
    ParallelText text;
    text.src = read_lines(src_path);
    text.tgt = read_lines(tgt_path);
    if (text.src.size() != text.tgt.size()) {
        throw DataError(src_path + " has " + std::to_string(text.src.size()) + " lines but " +
                        tgt_path + " has " + std::to_string(text.tgt.size()) +
                        ": line i of one must translate line i of the other");
    }
    return text;
}

}  // namespace tfm
