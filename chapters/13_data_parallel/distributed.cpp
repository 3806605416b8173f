// distributed.cpp — MPI calls: broadcast, sums, bucketed gradient allreduce, abort.
#include "distributed.hpp"

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace tfm {

Communicator::Communicator(int& argc, char**& argv) {
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

Communicator::~Communicator() {
    MPI_Finalize();
}

void Communicator::broadcast(const ParameterList& params, int root) const {
    for (Parameter* p : params)
        MPI_Bcast(p->value.data(), int(p->value.size()), MPI_FLOAT, root, MPI_COMM_WORLD);
}

double Communicator::sum(double x) const {
    double total = 0.0;
    MPI_Allreduce(&x, &total, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    return total;
}

std::uint64_t Communicator::sum(std::uint64_t x) const {
    std::uint64_t total = 0;
    MPI_Allreduce(&x, &total, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
    return total;
}

int Communicator::min(int x) const {
    int smallest = 0;
    MPI_Allreduce(&x, &smallest, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    return smallest;
}

std::string Communicator::broadcast(const std::string& text, int root) const {
    // The length first, so that every rank can make room for the bytes.
    std::uint64_t n = text.size();
    MPI_Bcast(&n, 1, MPI_UINT64_T, root, MPI_COMM_WORLD);
    std::string out = rank_ == root ? text : std::string(std::size_t(n), '\0');
    if (n > 0) MPI_Bcast(out.data(), int(n), MPI_CHAR, root, MPI_COMM_WORLD);
    return out;
}

void Communicator::sum_in_place(float* data, std::size_t n) const {
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t done = 0; done < n;) {  // MPI counts are ints
        const std::size_t chunk = std::min<std::size_t>(n - done, std::size_t(1) << 30);
        MPI_Allreduce(MPI_IN_PLACE, data + done, int(chunk), MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        done += chunk;
    }
    allreduce_seconds_ +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    allreduce_bytes_ += n * sizeof(float);
}

void Communicator::barrier() const {
    MPI_Barrier(MPI_COMM_WORLD);
}

void Communicator::abort(const std::string& message) const {
    std::fprintf(stderr, "rank %d: error: %s\n", rank_, message.c_str());
    std::fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, 1);
    std::abort();  // not reached: MPI_Abort does not return
}

//! [buckets]
GradientBuckets::GradientBuckets(ParameterList params, std::size_t bucket_floats)
    : params_(std::move(params)) {
    if (bucket_floats == 0)
        throw std::invalid_argument("GradientBuckets: bucket_floats must be positive");
    std::size_t largest = 0, filled = 0;
    for (std::size_t i = 0; i < params_.size(); ++i) {
        const std::size_t n = params_[i]->grad.size();
        if (groups_.empty() || filled + n > bucket_floats) {
            groups_.emplace_back();
            filled = 0;
        }
        groups_.back().push_back(i);
        filled += n;
        largest = std::max(largest, filled);
    }
    buffer_.resize(largest);
}

void GradientBuckets::allreduce(const Communicator& comm) {
    for (const auto& group : groups_) {
        // Flatten the group's gradients into one buffer, sum it across ranks, scatter back.
        std::size_t at = 0;
        for (std::size_t i : group) {
            const xt::xarray<float>& g = params_[i]->grad;
            std::copy(g.begin(), g.end(), buffer_.begin() + std::ptrdiff_t(at));
            at += g.size();
        }
        comm.sum_in_place(buffer_.data(), at);
        at = 0;
        for (std::size_t i : group) {
            xt::xarray<float>& g = params_[i]->grad;
            std::copy_n(buffer_.begin() + std::ptrdiff_t(at), g.size(), g.begin());
            at += g.size();
        }
    }
}
//! [buckets]

}  // namespace tfm
