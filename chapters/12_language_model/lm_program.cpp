// lm_program.cpp — the train and sample commands of chapters 12 and 14.
#include "lm_program.hpp"

#include <cstdio>

#include "00_tensors/files.hpp"
#include "00_tensors/text_files.hpp"
#include "07_encoder_decoder/config_flags.hpp"
#include "08_training/train.hpp"

namespace tfm {

CharText load_char_text(const std::string& path, const CharVocabulary* vocabulary) {
    const std::string text = read_text(path);
    CharText s;
    try {
        s.vocabulary = vocabulary ? *vocabulary : CharVocabulary::of_text(text, path);
    } catch (const std::invalid_argument& e) {
        throw DataError(std::string("--data ") + e.what());
    }
    try {
        s.split = split_train_val(s.vocabulary.encode(text));
    } catch (const std::invalid_argument& e) {
        throw DataError("--data " + path + ": " + e.what() + " of the run");
    }
    Fingerprint f;
    f.add(text);
    s.fingerprint = f.hex();
    return s;
}

void print_sample(NextTokenModel& model, const CharVocabulary& vocabulary,
                  const std::string& prompt, std::size_t tokens, const SampleOptions& options,
                  std::uint64_t seed) {
    Rng rng(seed);
    const std::vector<std::int64_t> out =
        generate(model, vocabulary.encode(prompt), tokens, options, rng);
    std::printf("%s%s\n", prompt.c_str(), vocabulary.decode(out).c_str());
}

std::string closing_prompt(const CharVocabulary& v, const std::string& wanted) {
    for (const std::string& prompt : {wanted, std::string("\n")}) {
        bool spelt = true;
        for (char c : prompt) spelt = spelt && v.contains(c);
        if (spelt) return prompt;
    }
    return std::string(1, v.chars()[0]);
}

void add_lm_commands(CLI::App& app, LMCommandLine& cl, const std::string& default_data) {
    cl.data = default_data;
    cl.train_cmd = app.add_subcommand("train", "pre-train on Tiny Shakespeare");
    CLI::App& t = *cl.train_cmd;
    t.add_option("--data", cl.data,
                 "the text (gzip or plain; default: the committed Tiny Shakespeare)");
    t.add_option("--out", cl.out, "save the run here at every evaluation");
    cl.training.decay_iters = 0;  // 0: as long as the run (--max-iters)
    add_flags(t, LMOptions::settings_fields(), cl.training);
    add_flags(t, LMOptions::length_fields(), cl.training);
    CLI::Option* resume =
        t.add_flag("--resume", cl.resume, "continue the run in --out with its settings");
    t.add_flag("--overwrite", cl.overwrite,
               "replace the run in --out (it is kept until the first save)")
        ->excludes(resume);
    cl.sample_cmd = app.add_subcommand("sample", "generate text from a trained model");
    CLI::App& s = *cl.sample_cmd;
    s.add_option("--checkpoint", cl.checkpoint,
                 "a training run or a language model (model/ and vocabulary.txt)")
        ->required();
    s.add_option("--prompt", cl.prompt, "the text to continue (default: a newline)");
    s.add_option("--tokens", cl.tokens, "characters to generate (default 500)")
        ->check(CLI::Range(1, 1000000));
    s.add_option("--temperature", cl.temperature, "(default 1; 0 is greedy)")
        ->check(CLI::Range(0.0, 100.0));
    s.add_option("--top-k", cl.top_k, "draw only from the k most likely (default 0: all)");
    s.add_flag("--no-cache", cl.no_cache, "recompute the context at every step");
}

LMTrainingStart open_lm_run(const LMCommandLine& cl, const std::string& kind,
                            const ProgramOptions& program) {
    LMTrainingStart start;
    LMOptions& o = start.options;
    o = cl.training;
    const std::uint64_t offset = 1337;  // the training draws apart from the model's init
    o.seed = program.seed + offset;
    start.seed = program.seed;
    if (o.decay_iters == 0) o.decay_iters = o.max_iters;  // the cosine ends with the run
    if (cl.out.empty()) {
        if (cl.resume || cl.overwrite)
            throw std::invalid_argument("--resume and --overwrite need --out RUN");
        return start;
    }
    // Checked before any work: --out is free, or holds the run to continue.
    start.run = TrainingRun::open(cl.out, kind,
                                  cl.resume      ? RunStart::Resume
                                  : cl.overwrite ? RunStart::Overwrite
                                                 : RunStart::New);
    // A resumed run keeps its settings; only how far it goes (length_fields) may change.
    if (start.run->resumed()) {
        o = saved_options(*start.run, o, flags_given(*cl.train_cmd));
        check_same_seed(program.seed, o.seed - offset, program.seed_given);
        start.seed = o.seed - offset;  // the run's own, for its model and its closing sample
    }
    return start;
}

LMResult report_finished(const LMTrainingStart& start) {
    std::fprintf(stderr,
                 "note: %s has trained %zu iterations (--max-iters %zu): nothing left to "
                 "train\n",
                 start.run->layout().dir.c_str(), start.run->evaluations().back().step,
                 start.options.max_iters);
    LMResult done;
    done.evals = start.run->evaluations();
    return done;
}

void load_lm_text(LMTrainingStart& start, const LMCommandLine& cl, std::size_t saved_vocab) {
    if (!start.resumed()) {
        start.text = load_char_text(cl.data);
        return;
    }
    // A resumed run keeps its characters: the ids it learned mean those characters and no
    // others.
    const CharVocabulary vocabulary = read_vocabulary(cl.out, saved_vocab);
    start.text = load_char_text(cl.data, &vocabulary);
    check_same_data(*start.run, start.text.fingerprint, "--data " + cl.data);
}

//! [train and report]
LMResult train_and_report(NextTokenModel& model, const nlohmann::ordered_json& model_settings,
                          LMTrainingStart& start, const LMCommandLine& cl, std::uint64_t seed) {
    const LMOptions& o = start.options;
    const CharText& text = start.text;
    std::fprintf(stderr, "%zu parameters; %zu iterations of %zu windows of %zu characters\n",
                 count_scalars(model.parameters()), o.max_iters, o.batch_size, model.context());
    LMSaving saving;
    if (start.run) {
        saving.run = &*start.run;
        nlohmann::ordered_json settings;
        settings["model"] = model_settings;
        put_options(settings, o);
        settings["data"] = {{"characters", text.split.train.size() + text.split.val.size()},
                            {"fingerprint", text.fingerprint}};
        saving.settings = settings;
        // The characters go with the weights, so that the run alone can sample.
        saving.more = [&text](const std::string& dir) {
            write_file_atomically(dir + "/vocabulary.txt", text.vocabulary.chars());
        };
    }
    LMResult r;
    try {
        r = train_language_model(model, o, text.split.train, text.split.val, saving);
    } catch (const TrainingDiverged& e) {
        // Nothing of the stretch that diverged is saved; say what --out holds.
        if (!start.run) throw;
        throw TrainingDiverged(std::string(e.what()) + "; " + start.run->what_is_saved());
    }
    std::fprintf(
        stderr, "training took %.1f s (%.0f tokens/s); final train loss %.4f, val loss %.4f\n",
        r.train_seconds, double(o.max_iters * o.batch_size * model.context()) / r.train_seconds,
        r.evals.back().train_loss, r.evals.back().val_loss);
    SampleOptions s;
    s.temperature = 0.8;
    std::printf("\nA sample:\n\n");
    print_sample(model, text.vocabulary, closing_prompt(text.vocabulary), 500, s, seed);
    return r;
}
//! [train and report]

void run_sample_command(NextTokenModel& model, const CharVocabulary& vocabulary,
                        const LMCommandLine& cl, std::uint64_t seed) {
    SampleOptions s;
    s.temperature = cl.temperature;
    s.top_k = cl.top_k;
    s.cache = !cl.no_cache;
    print_sample(model, vocabulary, cl.prompt, cl.tokens, s, seed);
}

}  // namespace tfm
