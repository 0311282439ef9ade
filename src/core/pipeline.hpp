// Two stages on two threads: the calling thread produces items (reading and
// parsing input), a worker consumes them in order (writing to the database),
// with a bounded queue of batches between them. The worker is the only
// thread touching what `consume` touches while this runs. Consumed batches go
// back to the producer, which fills the same items again: the memory an item
// holds is allocated, reused and freed on the producing thread only (a free
// on another thread costs glibc an arena lock, a tenth of an import's writer).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <span>
#include <system_error>
#include <thread>
#include <vector>

namespace mend {

// Calls produce(item) until it returns false, and consume(items) for each
// batch of the items it gave (at most kPipelineBatch, in the same order), on a
// second thread. The items of a batch stay alive and untouched until consume
// returns. The first exception wins in input order: when consume throws,
// producing stops and that exception is rethrown here; when produce throws,
// the items before it are still consumed, then its exception is rethrown
// (unless consuming those threw first). Runs both stages on this thread when
// no thread can be started.
inline constexpr std::size_t kPipelineBatch = 128;

template <class Item>
void pipelined_batches(const std::function<bool(Item&)>& produce,
                       const std::function<void(std::span<Item>)>& consume) {
  constexpr std::size_t kBatch = kPipelineBatch;  // items handed over at once
  constexpr std::size_t kBatches = 4;             // batches waiting at most
  std::mutex m;
  std::condition_variable changed;
  std::deque<std::vector<Item>> queue;
  std::vector<std::vector<Item>> spare;  // consumed batches, for the producer to refill
  bool done = false;
  bool failed = false;
  std::exception_ptr worker_error;
  std::thread worker;
  try {
    worker = std::thread([&] {
      try {
        while (true) {
          std::vector<Item> batch;
          {
            std::unique_lock lock(m);
            changed.wait(lock, [&] { return !queue.empty() || done; });
            if (queue.empty()) return;
            batch = std::move(queue.front());
            queue.pop_front();
          }
          changed.notify_all();
          consume(std::span<Item>(batch));
          std::lock_guard lock(m);
          spare.push_back(std::move(batch));
        }
      } catch (...) {
        {
          std::lock_guard lock(m);
          worker_error = std::current_exception();
          failed = true;
        }
        changed.notify_all();
      }
    });
  } catch (const std::system_error&) {
    std::vector<Item> batch(kBatch);
    bool more = true;
    while (more) {
      std::size_t filled = 0;
      try {
        while (filled < kBatch && (more = produce(batch[filled])))
          ++filled;
      } catch (...) {  // the items before it still go in first
        if (filled > 0) consume(std::span<Item>(batch.data(), filled));
        throw;
      }
      if (filled > 0) consume(std::span<Item>(batch.data(), filled));
    }
    return;
  }
  std::exception_ptr producer_error;
  try {
    bool more = true;
    while (more) {
      std::vector<Item> batch;
      {
        std::lock_guard lock(m);
        if (!spare.empty()) {
          batch = std::move(spare.back());
          spare.pop_back();
        }
      }
      std::size_t filled = 0;
      try {
        while (filled < kBatch) {
          if (filled == batch.size()) batch.emplace_back();
          if (!(more = produce(batch[filled]))) break;
          ++filled;
        }
      } catch (...) {
        producer_error = std::current_exception();
        more = false;  // the items before it still go to the worker
      }
      batch.resize(filled);
      if (batch.empty()) break;
      std::unique_lock lock(m);
      changed.wait(lock, [&] { return queue.size() < kBatches || failed; });
      if (failed) break;
      queue.push_back(std::move(batch));
      lock.unlock();
      changed.notify_all();
    }
  } catch (...) {  // out of memory handing over: never leave the worker running
    if (!producer_error) producer_error = std::current_exception();
  }
  {
    std::lock_guard lock(m);
    done = true;
  }
  changed.notify_all();
  worker.join();
  if (worker_error) std::rethrow_exception(worker_error);
  if (producer_error) std::rethrow_exception(producer_error);
}

}  // namespace mend
