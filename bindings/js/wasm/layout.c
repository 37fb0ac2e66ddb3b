/* The layout of rgm_event in wasm32 that bindings/js/src/index.js reads from the module's
 * memory (Session.poll there). If a field moves, the wasm build stops here instead of the
 * package reading the wrong bytes. */
#include <stddef.h>

#include "regimen/regimen.h"

_Static_assert(sizeof(rgm_event) == 56, "rgm_event is 56 bytes in wasm32");
_Static_assert(offsetof(rgm_event, type) == 4, "type at 4");
_Static_assert(offsetof(rgm_event, at_ms) == 8, "at_ms at 8");
_Static_assert(offsetof(rgm_event, block_index) == 16, "block_index at 16");
_Static_assert(offsetof(rgm_event, set_index) == 20, "set_index at 20");
_Static_assert(offsetof(rgm_event, rep_index) == 24, "rep_index at 24");
_Static_assert(offsetof(rgm_event, side) == 28, "side at 28");
_Static_assert(offsetof(rgm_event, duration_ms) == 32, "duration_ms at 32");
_Static_assert(offsetof(rgm_event, exercise_id) == 40, "exercise_id at 40");
_Static_assert(offsetof(rgm_event, phase) == 44, "phase at 44");
_Static_assert(offsetof(rgm_event, cue_id) == 48, "cue_id at 48");
_Static_assert(offsetof(rgm_event, text) == 52, "text at 52");
_Static_assert(sizeof(rgm_buffer) == 8, "rgm_buffer is {data at 0, size at 4}");
