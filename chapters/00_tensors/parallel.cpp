// parallel.cpp — a small pool of helper threads for parallel_for.
#include "parallel.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tfm {

namespace {

// True on the pool's helper threads, and on the calling thread while it runs a loop.
thread_local bool in_parallel_body = false;

class Pool {
public:
    Pool() {
        std::size_t n = std::max(1u, std::thread::hardware_concurrency());
        if (const char* env = std::getenv("TFM_THREADS")) {
            const long v = std::strtol(env, nullptr, 10);
            if (v >= 1 && v <= 256) n = std::size_t(v);
        }
        threads_ = n;
        for (std::size_t i = 1; i < n; ++i) workers_.emplace_back([this, i] { work(i); });
    }
    ~Pool() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stop_ = true;
        }
        wake_.notify_all();
        for (auto& t : workers_) t.join();
    }

    std::size_t threads() const { return threads_; }

    void run(std::size_t n, std::size_t parts,
             const std::function<void(std::size_t, std::size_t)>& body) {
        std::unique_lock<std::mutex> lock(mutex_);
        body_ = &body;
        n_ = n;
        parts_ = parts;
        pending_ = parts - 1;
        ++generation_;
        lock.unlock();
        wake_.notify_all();
        body(0, n / parts);  // the calling thread takes the first range
        lock.lock();
        done_.wait(lock, [this] { return pending_ == 0; });
        body_ = nullptr;
    }

private:
    void work(std::size_t index) {
        in_parallel_body = true;  // a helper only ever runs bodies
        std::size_t seen = 0;
        for (;;) {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
            if (stop_) return;
            seen = generation_;
            if (index >= parts_) continue;  // this loop uses fewer threads
            const auto* body = body_;
            const std::size_t begin = n_ * index / parts_, end = n_ * (index + 1) / parts_;
            lock.unlock();
            (*body)(begin, end);
            lock.lock();
            if (--pending_ == 0) done_.notify_one();
        }
    }

    std::size_t threads_ = 1;
    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable wake_, done_;
    const std::function<void(std::size_t, std::size_t)>* body_ = nullptr;
    std::size_t n_ = 0, parts_ = 1, pending_ = 0, generation_ = 0;
    bool stop_ = false;
};

Pool& pool() {
    static Pool p;
    return p;
}

}  // namespace

std::size_t parallel_threads() {
    return pool().threads();
}

void parallel_for(std::size_t n, std::size_t grain,
                  const std::function<void(std::size_t, std::size_t)>& body) {
    // A parallel_for inside a body (a batched product inside a parallel loop, say) runs
    // inline: the pool is busy with the outer loop, and its cores with it.
    bool& inside = in_parallel_body;
    Pool& p = pool();
    const std::size_t parts =
        std::min(p.threads(), grain == 0 ? p.threads() : n / std::max<std::size_t>(grain, 1));
    if (parts <= 1 || inside) {
        if (n > 0) body(0, n);
        return;
    }
    inside = true;
    struct Reset {
        bool& flag;
        ~Reset() { flag = false; }
    } reset{inside};
    p.run(n, parts, body);
}

}  // namespace tfm
