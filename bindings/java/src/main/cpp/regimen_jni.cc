// JNI glue for dev.regimen.Native: one function per C API call, over regimen.h only.
//
// Conventions: handles travel as jlong; a failing rgm_status becomes a thrown
// dev.regimen.RegimenException (built by RegimenException.fromNative from UTF-8 bytes, so that
// any text survives: JNI's NewStringUTF takes "modified UTF-8"); strings out of the library are
// copied into Java before the next call on the session. Nothing here allocates through C++
// containers, so no C++ exception can reach the JVM.
#include <jni.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <optional>

#include "regimen/regimen.h"

namespace {

// Looks classes and methods up on each use: cheap next to a session call, and safe with any
// class loader (Android loads app classes with a non-system loader).
jbyteArray ToBytes(JNIEnv* env, const char* data, size_t size) {
  if (size > 0x7fffffff) {
    return nullptr;
  }
  jbyteArray out = env->NewByteArray(static_cast<jsize>(size));
  if (out != nullptr && size > 0) {
    env->SetByteArrayRegion(out, 0, static_cast<jsize>(size), reinterpret_cast<const jbyte*>(data));
  }
  return out;
}

jbyteArray ToBytes(JNIEnv* env, const char* s) {
  return ToBytes(env, s ? s : "", s ? strlen(s) : 0);
}

void ThrowStatus(JNIEnv* env, int status, const char* message) {
  if (env->ExceptionCheck()) {
    return;
  }
  jclass cls = env->FindClass("dev/regimen/RegimenException");
  if (cls == nullptr) {
    return;  // NoClassDefFoundError is pending
  }
  jmethodID make =
      env->GetStaticMethodID(cls, "fromNative", "(I[B[B)Ldev/regimen/RegimenException;");
  if (make == nullptr) {
    return;
  }
  jbyteArray code = ToBytes(env, rgm_status_name(static_cast<rgm_status>(status)));
  jbyteArray text = ToBytes(env, message);
  if (code == nullptr || text == nullptr) {
    return;  // OutOfMemoryError is pending
  }
  jobject error = env->CallStaticObjectMethod(cls, make, static_cast<jint>(status), code, text);
  if (error != nullptr && !env->ExceptionCheck()) {
    env->Throw(static_cast<jthrowable>(error));
  }
}

// Throws for a failed status; true when the call succeeded.
bool Check(JNIEnv* env, rgm_status status) {
  if (status == RGM_OK) {
    return true;
  }
  ThrowStatus(env, status, rgm_last_error());
  return false;
}

// A Java byte[] copied into native memory for the length of one call.
class Bytes {
 public:
  Bytes(JNIEnv* env, jbyteArray array) {
    if (array == nullptr) {
      ThrowStatus(env, RGM_INVALID_ARGUMENT, "a byte array argument is null");
      return;
    }
    size_ = static_cast<size_t>(env->GetArrayLength(array));
    // One spare byte: the C API requires a non-NULL pointer even for empty input.
    data_ = static_cast<char*>(malloc(size_ + 1));
    if (data_ == nullptr) {
      ThrowStatus(env, RGM_RESOURCE_EXHAUSTED, "out of memory copying a byte array");
      return;
    }
    env->GetByteArrayRegion(array, 0, static_cast<jsize>(size_), reinterpret_cast<jbyte*>(data_));
  }
  ~Bytes() { free(data_); }
  Bytes(const Bytes&) = delete;
  Bytes& operator=(const Bytes&) = delete;

  bool ok() const { return data_ != nullptr; }
  const char* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  char* data_ = nullptr;
  size_t size_ = 0;
};

// Moves a library buffer into a new byte[] and frees it.
jbyteArray TakeBuffer(JNIEnv* env, rgm_buffer* buffer) {
  jbyteArray out = ToBytes(env, buffer->data, buffer->size);
  if (out == nullptr && !env->ExceptionCheck()) {
    ThrowStatus(env, RGM_RESOURCE_EXHAUSTED, "buffer too large for a Java byte array");
  }
  rgm_buffer_free(buffer);
  return out;
}

rgm_catalog* AsCatalog(jlong h) { return reinterpret_cast<rgm_catalog*>(static_cast<intptr_t>(h)); }
rgm_session* AsSession(jlong h) { return reinterpret_cast<rgm_session*>(static_cast<intptr_t>(h)); }
template <typename T>
jlong AsHandle(T* p) {
  return static_cast<jlong>(reinterpret_cast<intptr_t>(p));
}

using MessageCall = rgm_status (*)(const rgm_catalog*, const void*, size_t, rgm_format,
                                   rgm_buffer*);

jbyteArray CallWithMessage(JNIEnv* env, MessageCall call, jlong catalog, jbyteArray message,
                           jint format) {
  Bytes in(env, message);
  if (!in.ok()) {
    return nullptr;
  }
  rgm_buffer out = {nullptr, 0};
  if (!Check(env, call(AsCatalog(catalog), in.data(), in.size(), static_cast<rgm_format>(format),
                       &out))) {
    return nullptr;
  }
  return TakeBuffer(env, &out);
}

}  // namespace

extern "C" {

JNIEXPORT jstring JNICALL Java_dev_regimen_Native_version(JNIEnv* env, jclass) {
  return env->NewStringUTF(rgm_version());  // ASCII digits and dots
}

JNIEXPORT jlong JNICALL Java_dev_regimen_Native_catalogDefault(JNIEnv* env, jclass) {
  rgm_catalog* out = nullptr;
  return Check(env, rgm_catalog_default(&out)) ? AsHandle(out) : 0;
}

JNIEXPORT jlong JNICALL Java_dev_regimen_Native_catalogParse(JNIEnv* env, jclass, jbyteArray data,
                                                             jint format) {
  Bytes in(env, data);
  if (!in.ok()) {
    return 0;
  }
  rgm_catalog* out = nullptr;
  return Check(env, rgm_catalog_parse(in.data(), in.size(), static_cast<rgm_format>(format), &out))
             ? AsHandle(out)
             : 0;
}

JNIEXPORT void JNICALL Java_dev_regimen_Native_catalogFree(JNIEnv*, jclass, jlong catalog) {
  rgm_catalog_free(AsCatalog(catalog));
}

JNIEXPORT jbyteArray JNICALL Java_dev_regimen_Native_catalogRoutine(JNIEnv* env, jclass,
                                                                    jlong catalog, jstring id,
                                                                    jint format) {
  if (id == nullptr) {
    ThrowStatus(env, RGM_INVALID_ARGUMENT, "routine id is null");
    return nullptr;
  }
  // Modified UTF-8 equals UTF-8 for every id the schema allows (no NUL, no supplementary chars).
  const char* chars = env->GetStringUTFChars(id, nullptr);
  if (chars == nullptr) {
    return nullptr;
  }
  rgm_buffer out = {nullptr, 0};
  rgm_status status =
      rgm_catalog_routine(AsCatalog(catalog), chars, static_cast<rgm_format>(format), &out);
  env->ReleaseStringUTFChars(id, chars);
  return Check(env, status) ? TakeBuffer(env, &out) : nullptr;
}

JNIEXPORT jbyteArray JNICALL Java_dev_regimen_Native_routineGenerate(JNIEnv* env, jclass,
                                                                     jlong catalog,
                                                                     jbyteArray profile,
                                                                     jint format) {
  return CallWithMessage(env, rgm_routine_generate, catalog, profile, format);
}

JNIEXPORT jbyteArray JNICALL Java_dev_regimen_Native_progress(JNIEnv* env, jclass, jlong catalog,
                                                              jbyteArray request, jint format) {
  return CallWithMessage(env, rgm_progress, catalog, request, format);
}

JNIEXPORT jbyteArray JNICALL Java_dev_regimen_Native_schedule(JNIEnv* env, jclass, jlong catalog,
                                                              jbyteArray request, jint format) {
  return CallWithMessage(env, rgm_schedule, catalog, request, format);
}

JNIEXPORT jbyteArray JNICALL Java_dev_regimen_Native_routineExportFit(JNIEnv* env, jclass,
                                                                      jlong catalog,
                                                                      jbyteArray routine,
                                                                      jint format) {
  return CallWithMessage(env, rgm_routine_export_fit, catalog, routine, format);
}

JNIEXPORT jbyteArray JNICALL Java_dev_regimen_Native_recordExportFit(JNIEnv* env, jclass,
                                                                     jlong catalog,
                                                                     jbyteArray record,
                                                                     jint format) {
  return CallWithMessage(env, rgm_record_export_fit, catalog, record, format);
}

JNIEXPORT jlong JNICALL Java_dev_regimen_Native_sessionNew(JNIEnv* env, jclass, jlong catalog,
                                                           jbyteArray routine, jint format) {
  Bytes in(env, routine);
  if (!in.ok()) {
    return 0;
  }
  rgm_session* out = nullptr;
  return Check(env, rgm_session_new(AsCatalog(catalog), in.data(), in.size(),
                                    static_cast<rgm_format>(format), &out))
             ? AsHandle(out)
             : 0;
}

JNIEXPORT jlong JNICALL Java_dev_regimen_Native_sessionNewWithOptions(
    JNIEnv* env, jclass, jlong catalog, jbyteArray routine, jint format, jbyteArray options,
    jint options_format) {
  Bytes in(env, routine);
  if (!in.ok()) {
    return 0;
  }
  // Null options are the defaults (NULL/0); otherwise the bytes as given, even when empty.
  std::optional<Bytes> opts;
  if (options != nullptr) {
    opts.emplace(env, options);
    if (!opts->ok()) {
      return 0;
    }
  }
  rgm_session* out = nullptr;
  return Check(env, rgm_session_new_with_options(AsCatalog(catalog), in.data(), in.size(),
                                                 static_cast<rgm_format>(format),
                                                 opts.has_value() ? opts->data() : nullptr,
                                                 opts.has_value() ? opts->size() : 0,
                                                 static_cast<rgm_format>(options_format), &out))
             ? AsHandle(out)
             : 0;
}

JNIEXPORT jlong JNICALL Java_dev_regimen_Native_sessionRestore(JNIEnv* env, jclass,
                                                               jbyteArray snapshot, jint format) {
  Bytes in(env, snapshot);
  if (!in.ok()) {
    return 0;
  }
  rgm_session* out = nullptr;
  return Check(env,
               rgm_session_restore(in.data(), in.size(), static_cast<rgm_format>(format), &out))
             ? AsHandle(out)
             : 0;
}

JNIEXPORT void JNICALL Java_dev_regimen_Native_sessionFree(JNIEnv*, jclass, jlong session) {
  rgm_session_free(AsSession(session));
}

JNIEXPORT void JNICALL Java_dev_regimen_Native_sessionStart(JNIEnv* env, jclass, jlong session,
                                                            jlong now_ms) {
  Check(env, rgm_session_start(AsSession(session), now_ms));
}

JNIEXPORT void JNICALL Java_dev_regimen_Native_sessionTick(JNIEnv* env, jclass, jlong session,
                                                           jlong now_ms) {
  Check(env, rgm_session_tick(AsSession(session), now_ms));
}

JNIEXPORT void JNICALL Java_dev_regimen_Native_sessionSignal(JNIEnv* env, jclass, jlong session,
                                                             jint signal, jlong now_ms) {
  Check(env, rgm_session_signal(AsSession(session), static_cast<rgm_signal>(signal), now_ms));
}

JNIEXPORT void JNICALL Java_dev_regimen_Native_sessionReport(JNIEnv* env, jclass, jlong session,
                                                             jint kind, jint value, jint side,
                                                             jlong now_ms) {
  Check(env, rgm_session_report(AsSession(session), static_cast<rgm_report>(kind), value,
                                static_cast<rgm_side>(side), now_ms));
}

JNIEXPORT void JNICALL Java_dev_regimen_Native_sessionSpeechEnded(JNIEnv* env, jclass,
                                                                  jlong session, jstring cue_id,
                                                                  jlong now_ms) {
  if (cue_id == nullptr) {
    ThrowStatus(env, RGM_INVALID_ARGUMENT, "cue id is null");
    return;
  }
  // Modified UTF-8 equals UTF-8 for every id the schema allows (slugs).
  const char* chars = env->GetStringUTFChars(cue_id, nullptr);
  if (chars == nullptr) return;
  const rgm_status status = rgm_session_speech_ended(AsSession(session), chars, now_ms);
  env->ReleaseStringUTFChars(cue_id, chars);
  Check(env, status);
}

JNIEXPORT jlong JNICALL Java_dev_regimen_Native_sessionNextDeadline(JNIEnv*, jclass,
                                                                    jlong session) {
  return rgm_session_next_deadline(AsSession(session));
}

JNIEXPORT jboolean JNICALL Java_dev_regimen_Native_sessionFinished(JNIEnv*, jclass, jlong session) {
  return rgm_session_finished(AsSession(session)) ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jobject JNICALL Java_dev_regimen_Native_sessionPoll(JNIEnv* env, jclass, jlong session) {
  rgm_event event;
  memset(&event, 0, sizeof event);
  event.struct_size = sizeof event;
  if (!rgm_session_poll(AsSession(session), &event)) {
    return nullptr;
  }
  jclass cls = env->FindClass("dev/regimen/Event");
  if (cls == nullptr) {
    return nullptr;
  }
  jmethodID make =
      env->GetStaticMethodID(cls, "fromNative", "(IJIIIIJ[B[B[B[B)Ldev/regimen/Event;");
  if (make == nullptr) {
    return nullptr;
  }
  // The strings are borrowed until the next call on this session: copy them now.
  jbyteArray exercise_id = ToBytes(env, event.exercise_id);
  jbyteArray phase = ToBytes(env, event.phase);
  jbyteArray cue_id = ToBytes(env, event.cue_id);
  jbyteArray text = ToBytes(env, event.text);
  if (exercise_id == nullptr || phase == nullptr || cue_id == nullptr || text == nullptr) {
    return nullptr;
  }
  return env->CallStaticObjectMethod(
      cls, make, static_cast<jint>(event.type), static_cast<jlong>(event.at_ms),
      static_cast<jint>(event.block_index), static_cast<jint>(event.set_index),
      static_cast<jint>(event.rep_index), static_cast<jint>(event.side),
      static_cast<jlong>(event.duration_ms), exercise_id, phase, cue_id, text);
}

JNIEXPORT jbyteArray JNICALL Java_dev_regimen_Native_sessionSnapshot(JNIEnv* env, jclass,
                                                                     jlong session, jint format) {
  rgm_buffer out = {nullptr, 0};
  return Check(env, rgm_session_snapshot(AsSession(session), static_cast<rgm_format>(format), &out))
             ? TakeBuffer(env, &out)
             : nullptr;
}

JNIEXPORT jbyteArray JNICALL Java_dev_regimen_Native_sessionRecord(JNIEnv* env, jclass,
                                                                   jlong session, jint format) {
  rgm_buffer out = {nullptr, 0};
  return Check(env, rgm_session_record(AsSession(session), static_cast<rgm_format>(format), &out))
             ? TakeBuffer(env, &out)
             : nullptr;
}

}  // extern "C"
