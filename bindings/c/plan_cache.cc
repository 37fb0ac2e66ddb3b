// The C API's per-catalog cache of compiled plans (plan_cache.h).
#include "bindings/c/plan_cache.h"

#include "absl/strings/str_cat.h"

namespace regimen::capi {

std::string PlanCache::Key(absl::string_view routine, int routine_format, absl::string_view options,
                           int options_format) {
  // Lengths first, so that no two (routine, options) pairs share a key.
  return absl::StrCat(routine_format, ":", routine.size(), ":", options_format, ":", options.size(),
                      ":", routine, options);
}

std::shared_ptr<const PreparedPlan> PlanCache::Find(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = index_.find(key);
  if (found == index_.end()) return nullptr;
  order_.splice(order_.begin(), order_, found->second);
  return found->second->second;
}

void PlanCache::Insert(std::string key, std::shared_ptr<const PreparedPlan> plan) {
  if (key.size() > kMaxKeyBytes || plan == nullptr) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto found = index_.find(key); found != index_.end()) {
    order_.splice(order_.begin(), order_, found->second);
    return;
  }
  order_.emplace_front(key, std::move(plan));
  index_.emplace(std::move(key), order_.begin());
  if (order_.size() > kCapacity) {
    index_.erase(order_.back().first);
    order_.pop_back();
  }
}

size_t PlanCache::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return order_.size();
}

}  // namespace regimen::capi
