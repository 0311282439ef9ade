#include "core/status_filter.hpp"

#include <algorithm>

#include "core/model.hpp"
#include "core/store.hpp"

namespace mend {

StatusSet parse_statuses(const std::vector<std::string>& given) {
  StatusSet statuses;
  for (const auto& value : given) {
    const auto status = require_value<Status>("--status", lowercase(value));
    if (std::find(statuses.begin(), statuses.end(), status) == statuses.end())
      statuses.push_back(status);
  }
  return statuses;
}

std::string status_condition(const char* column, const StatusSet& statuses) {
  if (statuses.empty()) return {};
  std::string sql = std::string(" AND ") + column + " IN (";
  for (std::size_t i = 0; i < statuses.size(); ++i)
    sql += i == 0 ? "?" : ", ?";
  return sql + ")";
}

}  // namespace mend
