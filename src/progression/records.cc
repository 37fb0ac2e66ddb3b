// The check of a progression request's session records (records.h). The happy path builds no
// strings: a field's path is written only for the error that names it.
#include "src/progression/records.h"

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "regimen/v1/session.pb.h"

namespace regimen::internal {
namespace {

// Where a field is: "records[i]", then ".blocks[j]" and ".sides[k]" when set, then the field
// (which may carry its own index, "reports[3].at_ms").
struct Where {
  int record;
  int block = -1;
  int side = -1;

  absl::Status Invalid(absl::string_view field, absl::string_view what) const {
    std::string path = absl::StrCat("records[", record, "]");
    if (block >= 0) absl::StrAppend(&path, ".blocks[", block, "]");
    if (side >= 0) absl::StrAppend(&path, ".sides[", side, "]");
    return absl::InvalidArgumentError(absl::StrCat(path, ".", field, ": ", what));
  }
};

absl::Status CheckDone(const Where& where, absl::string_view done_field, uint32_t done,
                       uint32_t planned) {
  if (done <= planned) return absl::OkStatus();
  return where.Invalid(done_field, absl::StrCat(done, " done of ", planned, " planned"));
}

absl::Status CheckBlock(const v1::BlockRecord& block, Where where) {
  if (absl::Status s = CheckDone(where, "sets_done", block.sets_done(), block.sets_planned());
      !s.ok()) {
    return s;
  }
  if (block.active_ms() < 0) {
    return where.Invalid("active_ms",
                         absl::StrCat("must not be negative, got ", block.active_ms()));
  }
  for (int k = 0; k < block.sides_size(); ++k) {
    const v1::SideRecord& side = block.sides(k);
    where.side = k;
    if (absl::Status s = CheckDone(where, "reps_done", side.reps_done(), side.reps_planned());
        !s.ok()) {
      return s;
    }
    if (absl::Status s =
            CheckDone(where, "holds_achieved", side.holds_achieved(), side.holds_planned());
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

// The time `at_ms` of list[index] (a report or a safety stop) of `record`: not before the
// start, nor the time listed before it (`*previous`), nor after the end once the record ended.
absl::Status CheckTime(const v1::SessionRecord& record, const Where& where, absl::string_view list,
                       int index, int64_t at_ms, int64_t* previous) {
  const char* problem = nullptr;
  int64_t other = 0;
  if (at_ms < record.started_at_ms()) {
    problem = " is before the session started, started_at_ms ";
    other = record.started_at_ms();
  } else if (at_ms < *previous) {
    problem = " runs backwards: before the time listed before it, ";
    other = *previous;
  } else if (record.end() != v1::SESSION_END_UNSPECIFIED && at_ms > record.ended_at_ms()) {
    problem = " is after the session ended, ended_at_ms ";
    other = record.ended_at_ms();
  }
  if (problem == nullptr) {
    *previous = at_ms;
    return absl::OkStatus();
  }
  return where.Invalid(absl::StrCat(list, "[", index, "].at_ms"),
                       absl::StrCat(at_ms, problem, other));
}

absl::Status CheckTimes(const v1::SessionRecord& record, const Where& where) {
  if (record.end() != v1::SESSION_END_UNSPECIFIED &&
      record.ended_at_ms() < record.started_at_ms()) {
    return where.Invalid(
        "ended_at_ms", absl::StrCat(record.ended_at_ms(), " runs backwards: before started_at_ms ",
                                    record.started_at_ms()));
  }
  if (record.active_ms() < 0) {
    return where.Invalid("active_ms",
                         absl::StrCat("must not be negative, got ", record.active_ms()));
  }
  if (record.paused_ms() < 0) {
    return where.Invalid("paused_ms",
                         absl::StrCat("must not be negative, got ", record.paused_ms()));
  }
  int64_t previous = record.started_at_ms();
  for (int j = 0; j < record.reports_size(); ++j) {
    if (absl::Status s =
            CheckTime(record, where, "reports", j, record.reports(j).at_ms(), &previous);
        !s.ok()) {
      return s;
    }
  }
  previous = record.started_at_ms();
  for (int j = 0; j < record.safety_stops_size(); ++j) {
    if (absl::Status s =
            CheckTime(record, where, "safety_stops", j, record.safety_stops(j).at_ms(), &previous);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status CheckValues(const v1::SessionRecord& record, const Where& where) {
  for (int j = 0; j < record.reports_size(); ++j) {
    const v1::ReportRecord& report = record.reports(j);
    if ((report.kind() == v1::REPORT_PAIN || report.kind() == v1::REPORT_EFFORT) &&
        (report.value() < 0 || report.value() > 10)) {
      return where.Invalid(absl::StrCat("reports[", j, "].value"),
                           absl::StrCat(report.kind() == v1::REPORT_PAIN ? "pain" : "effort",
                                        " must be 0..10, got ", report.value()));
    }
  }
  for (int j = 0; j < record.safety_stops_size(); ++j) {
    const int pain = record.safety_stops(j).pain();
    if (pain < 0 || pain > 10) {
      return where.Invalid(absl::StrCat("safety_stops[", j, "].pain"),
                           absl::StrCat("must be 0..10, got ", pain));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckRecords(const v1::ProgressRequest& request) {
  for (int i = 0; i < request.records_size(); ++i) {
    const v1::SessionRecord& record = request.records(i);
    const Where where{i};
    if (absl::Status s = CheckValues(record, where); !s.ok()) return s;
    for (int j = 0; j < record.blocks_size(); ++j) {
      if (absl::Status s = CheckBlock(record.blocks(j), Where{i, j}); !s.ok()) return s;
    }
    if (absl::Status s = CheckTimes(record, where); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace regimen::internal
