#include "core/pipeline.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace mend;

namespace {

// pipelined_batches, one item at a time: consume(item) for each, in order.
template <class Item>
void pipelined(const std::function<bool(Item&)>& produce,
               const std::function<void(Item&)>& consume) {
  pipelined_batches<Item>(produce, [&](std::span<Item> items) {
    for (auto& item : items)
      consume(item);
  });
}

// produce() giving 1..n, then throwing at `throw_at` (0: never).
std::function<bool(int&)> counter(int n, int throw_at = 0) {
  auto next = std::make_shared<int>(0);
  return [=](int& item) {
    ++*next;
    if (*next == throw_at) throw std::runtime_error("bad input at " + std::to_string(*next));
    if (*next > n) return false;
    item = *next;
    return true;
  };
}

}  // namespace

TEST_CASE("pipelined consumes every item in order on another thread") {
  std::vector<int> seen;
  std::vector<std::thread::id> threads;
  pipelined<int>(counter(1000), [&](int& i) {
    seen.push_back(i);
    threads.push_back(std::this_thread::get_id());
  });
  REQUIRE(seen.size() == 1000);
  for (int i = 0; i < 1000; ++i)
    CHECK(seen[static_cast<std::size_t>(i)] == i + 1);
  CHECK(threads.front() != std::this_thread::get_id());
  pipelined<int>(counter(0), [&](int&) { FAIL("nothing to consume"); });
}

TEST_CASE("pipelined consumes the items before a producer error and then rethrows it") {
  std::vector<int> seen;
  CHECK_THROWS_WITH(pipelined<int>(counter(1000, 300), [&](int& i) { seen.push_back(i); }),
                    "bad input at 300");
  CHECK(seen.size() == 299);
}

TEST_CASE("pipelined stops producing after a consumer error and rethrows it first") {
  int produced = 0;
  std::function<bool(int&)> produce = [&](int& item) {
    if (++produced == 5000) throw std::runtime_error("a later producer error");
    item = produced;
    return produced <= 10000;
  };
  CHECK_THROWS_WITH(pipelined<int>(produce,
                                   [](int& i) {
                                     if (i == 10) throw std::runtime_error("disk full at 10");
                                   }),
                    "disk full at 10");
  // Production stopped within a few batches of the failure.
  CHECK(produced < 5000);
}

TEST_CASE("pipelined hands consumed items back to the producer to fill again") {
  int produced = 0;
  int refilled = 0;  // items that arrived holding an earlier value
  std::function<bool(std::string&)> produce = [&](std::string& item) {
    if (!item.empty()) ++refilled;
    if (++produced > 10000) return false;
    item = "item " + std::to_string(produced) + std::string(40, 'x');  // not a small string
    return true;
  };
  std::size_t consumed = 0;
  pipelined<std::string>(produce, [&](std::string& item) {
    CHECK(item.rfind("item " + std::to_string(++consumed) + "x", 0) == 0);
  });
  CHECK(consumed == 10000);
  CHECK(refilled > 0);
}

TEST_CASE("pipelined_batches hands over whole batches in order, none larger than the limit") {
  std::vector<int> seen;
  std::size_t batches = 0;
  pipelined_batches<int>(counter(1000), [&](std::span<int> items) {
    ++batches;
    CHECK(!items.empty());
    CHECK(items.size() <= kPipelineBatch);
    for (int i : items)
      seen.push_back(i);
  });
  REQUIRE(seen.size() == 1000);
  for (int i = 0; i < 1000; ++i)
    CHECK(seen[static_cast<std::size_t>(i)] == i + 1);
  CHECK(batches >= (1000 + kPipelineBatch - 1) / kPipelineBatch);
}
