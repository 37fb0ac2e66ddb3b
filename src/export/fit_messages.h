// The FIT messages Regimen writes, as layouts for the writer (fit_writer.h), and the profile's
// values it uses. Numbers from Garmin's FIT profile (21.x); each message lists exactly the fields
// the exporter fills, in the order of its values.
#ifndef REGIMEN_SRC_EXPORT_FIT_MESSAGES_H_
#define REGIMEN_SRC_EXPORT_FIT_MESSAGES_H_

#include "src/export/fit_writer.h"

namespace regimen::fit {

// file_id (0): type, manufacturer, product, serial_number, time_created.
inline constexpr FieldDef kFileIdFields[] = {{0, BaseType::kEnum},
                                             {1, BaseType::kUint16},
                                             {2, BaseType::kUint16},
                                             {3, BaseType::kUint32z},
                                             {4, BaseType::kUint32}};
inline constexpr MessageDef kFileId{0, kFileIdFields};

// workout (26): wkt_name, sport, sub_sport, num_valid_steps.
inline constexpr FieldDef kWorkoutFields[] = {
    {8, BaseType::kString}, {4, BaseType::kEnum}, {11, BaseType::kEnum}, {6, BaseType::kUint16}};
inline constexpr MessageDef kWorkout{26, kWorkoutFields};

// workout_step (27): message_index, wkt_step_name, duration_type, duration_value, target_type,
// target_value, intensity, notes, exercise_category, exercise_name.
inline constexpr FieldDef kWorkoutStepFields[] = {
    {254, BaseType::kUint16}, {0, BaseType::kString}, {1, BaseType::kEnum}, {2, BaseType::kUint32},
    {3, BaseType::kEnum},     {4, BaseType::kUint32}, {7, BaseType::kEnum}, {8, BaseType::kString},
    {10, BaseType::kUint16},  {11, BaseType::kUint16}};
inline constexpr MessageDef kWorkoutStep{27, kWorkoutStepFields};

// event (21): timestamp, event, event_type.
inline constexpr FieldDef kEventFields[] = {
    {253, BaseType::kUint32}, {0, BaseType::kEnum}, {1, BaseType::kEnum}};
inline constexpr MessageDef kEvent{21, kEventFields};

// lap (19): message_index, timestamp, start_time, total_elapsed_time, total_timer_time, event,
// event_type, sport, sub_sport.
inline constexpr FieldDef kLapFields[] = {
    {254, BaseType::kUint16}, {253, BaseType::kUint32}, {2, BaseType::kUint32},
    {7, BaseType::kUint32},   {8, BaseType::kUint32},   {0, BaseType::kEnum},
    {1, BaseType::kEnum},     {25, BaseType::kEnum},    {39, BaseType::kEnum}};
inline constexpr MessageDef kLap{19, kLapFields};

// set (225): timestamp, message_index, duration, repetitions, set_type, start_time, category,
// category_subtype.
inline constexpr FieldDef kSetFields[] = {{254, BaseType::kUint32}, {10, BaseType::kUint16},
                                          {0, BaseType::kUint32},   {3, BaseType::kUint16},
                                          {5, BaseType::kUint8},    {6, BaseType::kUint32},
                                          {7, BaseType::kUint16},   {8, BaseType::kUint16}};
inline constexpr MessageDef kSet{225, kSetFields};

// session (18): message_index, timestamp, start_time, total_elapsed_time, total_timer_time,
// sport, sub_sport, first_lap_index, num_laps, event, event_type.
inline constexpr FieldDef kSessionFields[] = {
    {254, BaseType::kUint16}, {253, BaseType::kUint32}, {2, BaseType::kUint32},
    {7, BaseType::kUint32},   {8, BaseType::kUint32},   {5, BaseType::kEnum},
    {6, BaseType::kEnum},     {25, BaseType::kUint16},  {26, BaseType::kUint16},
    {0, BaseType::kEnum},     {1, BaseType::kEnum}};
inline constexpr MessageDef kSession{18, kSessionFields};

// activity (34): timestamp, total_timer_time, num_sessions, type, event, event_type.
inline constexpr FieldDef kActivityFields[] = {{253, BaseType::kUint32}, {0, BaseType::kUint32},
                                               {1, BaseType::kUint16},   {2, BaseType::kEnum},
                                               {3, BaseType::kEnum},     {4, BaseType::kEnum}};
inline constexpr MessageDef kActivity{34, kActivityFields};

// Profile values.
inline constexpr uint64_t kFileWorkout = 5, kFileActivity = 4;
inline constexpr uint64_t kManufacturerDevelopment = 255;
inline constexpr uint64_t kSportTraining = 10, kSubSportStrengthTraining = 20;
inline constexpr uint64_t kDurationTime = 0, kDurationRepeatUntilStepsComplete = 6,
                          kDurationReps = 29;
inline constexpr uint64_t kTargetOpen = 2;
inline constexpr uint64_t kIntensityActive = 0, kIntensityRest = 1;
inline constexpr uint64_t kEventTimer = 0, kEventSession = 8, kEventLap = 9, kEventActivity = 26;
inline constexpr uint64_t kEventTypeStart = 0, kEventTypeStop = 1, kEventTypeStopAll = 4;
inline constexpr uint64_t kSetTypeRest = 0, kSetTypeActive = 1;
inline constexpr uint64_t kActivityManual = 0;

}  // namespace regimen::fit

#endif  // REGIMEN_SRC_EXPORT_FIT_MESSAGES_H_
