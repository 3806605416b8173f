// translation_program.hpp — chapter 10's command line, shared with chapters 11 and 13.
//
// Three programs train or use chapter 10's translator: ch10_translation itself,
// ch11_decoding (the same commands with other searches) and ch13_data_parallel (the same
// training on several processes). They share one set of training flags, one reading of
// the sentences to translate, and one name for Multi30k's test split, from here.
#pragma once

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "00_tensors/program.hpp"
#include "translation_run.hpp"

namespace tfm {

/// What the training flags fill in.
struct TrainingCommandLine {
    TranslationOptions options;
    bool resume = false, overwrite = false, exact = false;
    CLI::App* command = nullptr;  ///< where the flags were added (which were given)
};

/// Refuses, on `cmd` (which has the settings' flags), a vocabulary flag of the kind not
/// chosen: --subword-vocab without --subword, --min-freq with it.
void add_vocabulary_rules(CLI::App& cmd);

/// Adds chapter 10's training flags to `cmd`: --data and --out, the model's flags
/// (ModelConfig's field table) and --exact, the settings a run keeps and how far it goes
/// (TranslationOptions' field tables), and --resume or --overwrite.
void add_training_flags(CLI::App& cmd, TrainingCommandLine& cl);

/// The options those flags ask for, with the program's --seed (and "--seed" among the
/// flags given, when it was named).
TranslationOptions training_options(const TrainingCommandLine& cl, const ProgramOptions& program);

/// Adds --split to `cmd`: "val" or "test" (Multi30k's test_2016_flickr, the default).
void add_split_flag(CLI::App& cmd, std::string& split);
/// The file stem of a split as --split names it: "test" is kTestSplit, "val" is val.
std::string split_stem(const std::string& split);

}  // namespace tfm
