// The compiled plans of a catalog handle's recent sessions, so that sessions made from the same
// routine and options bytes share one immutable plan instead of compiling it again (issue 17).
// Bounded (kCapacity plans, least recently used dropped; inputs over kMaxKeyBytes not kept) and
// thread-safe: a catalog handle may be used by several threads at once.
#ifndef REGIMEN_BINDINGS_C_PLAN_CACHE_H_
#define REGIMEN_BINDINGS_C_PLAN_CACHE_H_

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "regimen/session.h"

namespace regimen::capi {

class PlanCache {
 public:
  static constexpr size_t kCapacity = 16;
  static constexpr size_t kMaxKeyBytes = 256 * 1024;

  // The key of a session's inputs: the routine's and the options' bytes with their formats.
  static std::string Key(absl::string_view routine, int routine_format, absl::string_view options,
                         int options_format);

  // The plan kept for `key`, or null.
  std::shared_ptr<const PreparedPlan> Find(const std::string& key);
  // Keeps `plan` for `key` (when the key is small enough), dropping the least recently used.
  void Insert(std::string key, std::shared_ptr<const PreparedPlan> plan);

  size_t size() const;

 private:
  using Entry = std::pair<std::string, std::shared_ptr<const PreparedPlan>>;
  // A std::mutex, not absl::Mutex: ThreadSanitizer sees the pthread mutex, not the inside of
  // Debian's prebuilt (uninstrumented) Abseil.
  mutable std::mutex mutex_;
  std::list<Entry> order_;  // most recently used first; guarded by mutex_
  absl::flat_hash_map<std::string, std::list<Entry>::iterator> index_;  // guarded by mutex_
};

}  // namespace regimen::capi

#endif  // REGIMEN_BINDINGS_C_PLAN_CACHE_H_
