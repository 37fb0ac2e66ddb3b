// The timing model: options, phase lengths, sides, set shapes and block lengths.
#include "src/model/timing.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "regimen/l10n.h"

namespace regimen::timing {
namespace {

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

int64_t NonNegative(int64_t v) { return v < 0 ? 0 : v; }

v1::Side Other(v1::Side side) { return side == v1::RIGHT ? v1::LEFT : v1::RIGHT; }

absl::Status CheckOption(const OptionRange& range, int64_t value) {
  if (value < range.min || value > range.max) {
    return absl::InvalidArgumentError(absl::StrCat("options.", range.name, ": must be ", range.min,
                                                   "..", range.max, ", got ", value));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::SessionOptions> ResolveOptions(const v1::SessionOptions& in) {
  v1::SessionOptions out = in;
  auto resolve = [](bool has, int64_t value, const OptionRange& range) {
    return has ? value : range.default_value;
  };
  out.set_breath_period_ms(
      resolve(in.has_breath_period_ms(), in.breath_period_ms(), kBreathPeriodMs));
  out.set_count_in_ms(resolve(in.has_count_in_ms(), in.count_in_ms(), kCountInMs));
  out.set_words_per_minute(static_cast<uint32_t>(
      resolve(in.has_words_per_minute(), in.words_per_minute(), kWordsPerMinute)));
  out.set_pain_stop_threshold(static_cast<uint32_t>(
      resolve(in.has_pain_stop_threshold(), in.pain_stop_threshold(), kPainStopThreshold)));
  out.set_cue_lead_ms(resolve(in.has_cue_lead_ms(), in.cue_lead_ms(), kCueLeadMs));
  out.set_cue_gap_ms(resolve(in.has_cue_gap_ms(), in.cue_gap_ms(), kCueGapMs));
  out.set_max_cue_delay_ms(
      resolve(in.has_max_cue_delay_ms(), in.max_cue_delay_ms(), kMaxCueDelayMs));
  for (absl::Status status : {
           CheckOption(kBreathPeriodMs, out.breath_period_ms()),
           CheckOption(kCountInMs, out.count_in_ms()),
           CheckOption(kWordsPerMinute, out.words_per_minute()),
           CheckOption(kPainStopThreshold, out.pain_stop_threshold()),
           CheckOption(kCueLeadMs, out.cue_lead_ms()),
           CheckOption(kCueGapMs, out.cue_gap_ms()),
           CheckOption(kMaxCueDelayMs, out.max_cue_delay_ms()),
       }) {
    if (!status.ok()) return status;
  }
  if (!in.locale().empty()) {
    absl::StatusOr<std::string> locale = CanonicalLocale(in.locale());
    if (!locale.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("locale: ", locale.status().message()));
    }
    out.set_locale(*std::move(locale));
  }
  return out;
}

void ClearDefaultOptions(v1::SessionOptions* o) {
  if (o->breath_period_ms() == kBreathPeriodMs.default_value) o->clear_breath_period_ms();
  if (o->count_in_ms() == kCountInMs.default_value) o->clear_count_in_ms();
  if (o->words_per_minute() == kWordsPerMinute.default_value) o->clear_words_per_minute();
  if (o->pain_stop_threshold() == kPainStopThreshold.default_value) {
    o->clear_pain_stop_threshold();
  }
  if (o->cue_lead_ms() == kCueLeadMs.default_value) o->clear_cue_lead_ms();
  if (o->cue_gap_ms() == kCueGapMs.default_value) o->clear_cue_gap_ms();
  if (o->max_cue_delay_ms() == kMaxCueDelayMs.default_value) o->clear_max_cue_delay_ms();
}

int64_t BreathPeriodMs(const v1::SessionOptions& options) {
  return options.has_breath_period_ms() ? options.breath_period_ms()
                                        : kBreathPeriodMs.default_value;
}

int64_t CountInMs(const v1::SessionOptions& options) {
  return options.has_count_in_ms() ? options.count_in_ms() : kCountInMs.default_value;
}

int64_t SatAdd(int64_t a, int64_t b) { return a > kInt64Max - b ? kInt64Max : a + b; }

int64_t SatMul(int64_t a, int64_t b) {
  if (a == 0 || b == 0) return 0;
  return a > kInt64Max / b ? kInt64Max : a * b;
}

int64_t PhaseMs(const v1::DurationSpec& spec, const v1::Prescription& prescription,
                int64_t breath_ms) {
  switch (spec.spec_case()) {
    case v1::DurationSpec::kFixedMs:
      return spec.fixed_ms();
    case v1::DurationSpec::kBreaths:
      return SatMul(spec.breaths(), NonNegative(breath_ms));
    case v1::DurationSpec::kTempo:
      if (spec.tempo() == v1::TEMPO_PART_LIFT) return prescription.tempo().lift_ms();
      if (spec.tempo() == v1::TEMPO_PART_LOWER) return prescription.tempo().lower_ms();
      return 0;
    case v1::DurationSpec::kOscillations: {
      const int64_t count = prescription.oscillations() != 0 ? prescription.oscillations()
                                                             : spec.oscillations().count();
      // Each oscillation period_step_ms longer than the one before: count periods plus
      // step * (0 + 1 + … + count - 1).
      const int64_t steps = SatMul(count, count - 1) / 2;
      return SatAdd(SatMul(count, NonNegative(spec.oscillations().period_ms())),
                    SatMul(steps, NonNegative(spec.oscillations().period_step_ms())));
    }
    case v1::DurationSpec::kOpen:
      return spec.open().timeout_ms() > 0 ? spec.open().timeout_ms() : -1;
    case v1::DurationSpec::kPrescribedHold:
      switch (prescription.hold().amount_case()) {
        case v1::Hold::kMs:
          return prescription.hold().ms();
        case v1::Hold::kBreaths:
          return SatMul(prescription.hold().breaths(), NonNegative(breath_ms));
        case v1::Hold::AMOUNT_NOT_SET:
          return 0;
      }
      return 0;
    case v1::DurationSpec::SPEC_NOT_SET:
      return 0;
  }
  return 0;
}

bool IsSided(v1::Laterality laterality) {
  return laterality == v1::LATERALITY_ALTERNATING || laterality == v1::LATERALITY_PER_SIDE;
}

SetPattern PatternOf(const v1::Prescription& prescription, v1::Laterality laterality) {
  SetPattern pattern;
  pattern.laterality = IsSided(laterality) ? laterality : v1::LATERALITY_BILATERAL;
  pattern.reps = prescription.reps() == 0 ? 1 : prescription.reps();
  pattern.first_side = prescription.first_side() == v1::RIGHT ? v1::RIGHT : v1::LEFT;
  const v1::SideBias& bias = prescription.bias();
  if (!IsSided(laterality)) {
    pattern.bias_reps = bias.extra_reps();
  } else if (bias.side() != v1::SIDE_UNSPECIFIED) {
    pattern.bias_reps = bias.extra_reps();
    if (pattern.bias_reps > 0) pattern.bias_side = bias.side();
  }
  return pattern;
}

SetPattern PatternOf(const v1::PlanBlock& block, v1::Laterality laterality) {
  SetPattern pattern;
  pattern.laterality = IsSided(laterality) ? laterality : v1::LATERALITY_BILATERAL;
  pattern.reps = block.reps();
  pattern.first_side = block.first_side() == v1::RIGHT ? v1::RIGHT : v1::LEFT;
  pattern.bias_reps = block.bias_extra_reps();
  pattern.bias_side = block.bias_side();
  return pattern;
}

v1::Side RepSide(const SetPattern& pattern, int64_t rep) {
  if (!IsSided(pattern.laterality)) return v1::SIDE_UNSPECIFIED;
  const v1::Side first = pattern.first_side;
  if (rep >= 2 * pattern.reps) return pattern.bias_side;
  if (pattern.laterality == v1::LATERALITY_ALTERNATING) return rep % 2 == 0 ? first : Other(first);
  return rep < pattern.reps ? first : Other(first);
}

SetShape ShapeOf(const SetPattern& pattern) {
  SetShape shape;
  if (!IsSided(pattern.laterality)) {
    shape.reps = SatAdd(pattern.reps, pattern.bias_reps);
    return shape;
  }
  // Both sided patterns end on the other side after the base reps; extra reps on the first
  // side add one more switch.
  shape.reps = SatAdd(SatMul(2, pattern.reps), pattern.bias_reps);
  shape.switches = pattern.laterality == v1::LATERALITY_ALTERNATING ? 2 * pattern.reps - 1 : 1;
  if (pattern.bias_reps > 0 && pattern.bias_side == pattern.first_side) shape.switches += 1;
  return shape;
}

void PhaseTotals::Add(v1::PhaseScope scope, v1::PhaseKind kind, int64_t ms) {
  switch (scope) {
    case v1::PHASE_SCOPE_EXERCISE_START:
      exercise_start = SatAdd(exercise_start, ms);
      break;
    case v1::PHASE_SCOPE_EXERCISE_END:
      exercise_end = SatAdd(exercise_end, ms);
      break;
    case v1::PHASE_SCOPE_SET_START:
      set_start = SatAdd(set_start, ms);
      break;
    default:
      if (kind == v1::PHASE_SWITCH_SIDE) {
        switch_side = SatAdd(switch_side, ms);
      } else {
        rep = SatAdd(rep, ms);
      }
      break;
  }
}

int64_t BlockMs(const PhaseTotals& phases, const SetShape& shape, int64_t sets,
                const BlockRests& rests) {
  int64_t one_set = phases.set_start;
  one_set = SatAdd(one_set, SatMul(shape.reps, phases.rep));
  one_set = SatAdd(one_set, SatMul(shape.switches, phases.switch_side));
  one_set = SatAdd(one_set, SatMul(shape.reps - 1, NonNegative(rests.between_reps_ms)));
  int64_t block = phases.exercise_start;
  block = SatAdd(block, SatMul(sets, one_set));
  block = SatAdd(block, SatMul(sets - 1, NonNegative(rests.between_sets_ms)));
  block = SatAdd(block, phases.exercise_end);
  return SatAdd(block, NonNegative(rests.after_ms));
}

}  // namespace regimen::timing
