// translation_program.cpp — the training flags, from the field tables.
#include "translation_program.hpp"

#include "07_encoder_decoder/config_flags.hpp"

namespace tfm {

void add_vocabulary_rules(CLI::App& cmd) {
    // Each kind of vocabulary has its own size: words seen --min-freq times, or
    // --subword-vocab SentencePiece pieces. The other's flag would do nothing.
    cmd.get_option("--subword-vocab")->needs(cmd.get_option("--subword"));
    cmd.get_option("--min-freq")->excludes(cmd.get_option("--subword"));
}

//! [training flags]
void add_training_flags(CLI::App& cmd, TrainingCommandLine& cl) {
    TranslationOptions& o = cl.options;
    cl.command = &cmd;
    cmd.add_option("--data", o.data_dir, "the Multi30k directory")->required();
    cmd.add_option("--out", o.out_dir, "the run's directory (saved after every epoch)")->required();
    add_flags(cmd, ModelConfig::fields(), o.model);
    CLI::Option* exact = cmd.add_flag(
        "--exact", cl.exact, "the Annotated Transformer's model: N = 6, C = 512, F = 2048, H = 8");
    for (const char* flag : {"--layers", "--d-model", "--d-ff", "--heads"})
        exact->excludes(cmd.get_option(flag));
    add_flags(cmd, TranslationOptions::settings_fields(), o);
    add_vocabulary_rules(cmd);
    add_flags(cmd, TranslationOptions::length_fields(), o);
    CLI::Option* resume =
        cmd.add_flag("--resume", cl.resume, "continue the run in --out with its own settings");
    cmd.add_flag("--overwrite", cl.overwrite,
                 "replace the run in --out (it is kept until the first epoch is saved)")
        ->excludes(resume);
}
//! [training flags]

TranslationOptions training_options(const TrainingCommandLine& cl, const ProgramOptions& program) {
    TranslationOptions o = cl.options;
    o.seed = program.seed;
    o.start = cl.resume ? RunStart::Resume : cl.overwrite ? RunStart::Overwrite : RunStart::New;
    if (cl.exact) {  // the Annotated Transformer's make_model defaults
        o.model.N = 6;
        o.model.d_model = 512;
        o.model.d_ff = 2048;
        o.model.h = 8;
    }
    if (cl.command != nullptr) o.flags_given = flags_given(*cl.command);
    if (cl.exact) {  // --exact names the four sizes
        for (const char* flag : {"--layers", "--d-model", "--d-ff", "--heads"})
            o.flags_given.push_back(flag);
    }
    if (program.seed_given) o.flags_given.push_back("--seed");  // the program's, not cmd's
    return o;
}

void add_split_flag(CLI::App& cmd, std::string& split) {
    cmd.add_option("--split", split, std::string("val or test (default test: ") + kTestSplit + ")")
        ->check(CLI::IsMember({"val", "test"}));
}

std::string split_stem(const std::string& split) {
    return split == "test" ? kTestSplit : split;
}

}  // namespace tfm
