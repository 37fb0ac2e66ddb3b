#include "tools/regimen/help.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.pb.h"

namespace regimen::cli {

// The schemas' FileDescriptorSet with source info (their comments), embedded by the build
// (cmake/RegimenEmbedBytes.cmake).
extern const unsigned char kHelpSchemas[];
extern const std::size_t kHelpSchemasSize;

const char kExitCodes[] =
    "exit codes: 0 ok; 1 bad input or a failed operation (the reason on stderr, nothing on\n"
    "stdout); 2 bad usage (an unknown command or option, a missing argument)\n";

namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;

// Nested messages deeper than this print as "{...}".
constexpr int kMaxDepth = 6;

using Comments = std::map<std::string, std::string>;

// Adds the comment of each field of `message` (at `path` in its file) to `out`, by full name.
void AddComments(const google::protobuf::DescriptorProto& message, const std::string& prefix,
                 std::vector<int> path, const std::map<std::vector<int>, std::string>& at,
                 Comments& out) {
  const std::string name = absl::StrCat(prefix, ".", message.name());
  for (int i = 0; i < message.field_size(); ++i) {
    std::vector<int> field = path;
    field.insert(field.end(), {2, i});
    if (auto it = at.find(field); it != at.end()) {
      out[absl::StrCat(name, ".", message.field(i).name())] = it->second;
    }
  }
  for (int i = 0; i < message.nested_type_size(); ++i) {
    std::vector<int> nested = path;
    nested.insert(nested.end(), {3, i});
    AddComments(message.nested_type(i), name, nested, at, out);
  }
}

// The comment of every field of the schemas, by full name ("regimen.v1.Profile.time_zone").
const Comments& FieldComments() {
  static const Comments* comments = [] {
    auto* out = new Comments;
    google::protobuf::FileDescriptorSet schemas;
    if (!schemas.ParseFromArray(kHelpSchemas, static_cast<int>(kHelpSchemasSize))) return out;
    for (const google::protobuf::FileDescriptorProto& file : schemas.file()) {
      std::map<std::vector<int>, std::string> at;
      for (const auto& location : file.source_code_info().location()) {
        const std::string& text = location.has_leading_comments() ? location.leading_comments()
                                                                  : location.trailing_comments();
        if (!text.empty()) at[{location.path().begin(), location.path().end()}] = text;
      }
      for (int i = 0; i < file.message_type_size(); ++i) {
        AddComments(file.message_type(i), file.package(), {4, i}, at, *out);
      }
    }
    return out;
  }();
  return *comments;
}

// "A" | "B" | ... : the enum's values without the *_UNSPECIFIED zero.
std::string EnumValues(const EnumDescriptor* e) {
  std::vector<std::string> names;
  for (int i = 0; i < e->value_count(); ++i) {
    if (e->value(i)->number() == 0) continue;
    names.push_back(absl::StrCat("\"", e->value(i)->name(), "\""));
  }
  return absl::StrJoin(names, " | ");
}

class ShapePrinter {
 public:
  explicit ShapePrinter(std::ostream& out) : out_(out) {}

  // `d`'s fields as a JSON sketch: "name": type, nested messages indented.
  void Message(const Descriptor* d, int depth) {
    seen_.insert(d);
    const google::protobuf::OneofDescriptor* oneof = nullptr;
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      const google::protobuf::OneofDescriptor* in = f->real_containing_oneof();
      if (in != nullptr && in != oneof) {
        std::vector<std::string> names;
        for (int j = 0; j < in->field_count(); ++j) names.push_back(in->field(j)->json_name());
        Indent(depth + 1);
        out_ << "# exactly one of " << absl::StrJoin(names, ", ") << ":\n";
      }
      oneof = in;
      if (auto it = FieldComments().find(f->full_name()); it != FieldComments().end()) {
        for (absl::string_view line : absl::StrSplit(it->second, '\n', absl::SkipWhitespace())) {
          Indent(depth + 1);
          out_ << "# " << absl::StripAsciiWhitespace(line) << "\n";
        }
      }
      Indent(depth + 1);
      out_ << "\"" << f->json_name() << "\": ";
      const bool repeated = f->is_repeated();
      if (repeated) out_ << "[";
      Value(f, depth + 1);
      if (repeated) out_ << "]";
      out_ << (i + 1 < d->field_count() ? ",\n" : "\n");
    }
  }

 private:
  void Indent(int depth) { out_ << std::string(static_cast<size_t>(2 + 2 * depth), ' '); }

  void Value(const FieldDescriptor* f, int depth) {
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_MESSAGE: {
        const Descriptor* d = f->message_type();
        if (seen_.count(d) > 0) {
          out_ << "{...} (a " << d->name() << ", as above)";
        } else if (depth >= kMaxDepth) {
          out_ << "{...} (a " << d->name() << ")";
        } else {
          out_ << "{\n";
          Message(d, depth);
          Indent(depth);
          out_ << "}";
        }
        break;
      }
      case FieldDescriptor::CPPTYPE_ENUM:
        out_ << EnumValues(f->enum_type());
        break;
      default:
        out_ << f->type_name();
        break;
    }
  }

  std::ostream& out_;
  std::set<const Descriptor*> seen_;
};

// `text` with every line after the first indented by `indent` spaces.
std::string Hanging(absl::string_view text, size_t indent) {
  return absl::StrReplaceAll(text, {{"\n", absl::StrCat("\n", std::string(indent, ' '))}});
}

// `text` padded with spaces to `width` (at least one space).
std::string Pad(absl::string_view text, size_t width) {
  return absl::StrCat(text, std::string(text.size() < width ? width - text.size() : 1, ' '));
}

void PrintInput(const InputHelp& input, std::ostream& out) {
  out << "  " << input.where << ": " << Hanging(input.text, 4) << "\n";
  if (input.message == nullptr || !input.fields) return;
  const Descriptor* d = input.message();
  out << "    a " << d->name() << " (every field optional; JSON shown, text format and binary\n"
      << "    are read too, by the file's extension or its first byte):\n    {\n";
  ShapePrinter(out).Message(d, 1);
  out << "    }\n";
}

}  // namespace

void PrintCommandHelp(const CommandHelp& help, std::ostream& out) {
  out << "usage: regimen " << help.synopsis << "\n\n" << help.summary << ".\n";
  if (help.details[0] != '\0') out << "\n" << help.details;
  if (!help.options.empty()) {
    out << "\noptions:\n";
    for (const OptionHelp& option : help.options) {
      std::string flag = option.flag;
      if (option.value != nullptr) absl::StrAppend(&flag, " ", option.value);
      out << "  " << Pad(flag, 16) << Hanging(option.text, 18) << "\n";
    }
  }
  out << "  --help, -h      this help\n";
  if (!help.inputs.empty()) {
    out << "\ninput:\n";
    for (const InputHelp& input : help.inputs) PrintInput(input, out);
  }
  out << "\nexample (in the source tree):\n  " << help.example << "\n\n" << kExitCodes;
}

void PrintOverview(const std::vector<const CommandHelp*>& commands, std::ostream& out) {
  out << "usage: regimen COMMAND [ARGS]    (regimen help COMMAND, or regimen COMMAND --help, "
         "for more)\n\ncommands:\n";
  for (const CommandHelp* help : commands) {
    out << "  " << Pad(help->name, 21) << help->summary << "\n";
  }
  out << "  help [COMMAND]       this overview, or everything about one command\n"
         "  --version            the version\n\nusage lines:\n";
  for (const CommandHelp* help : commands) out << "  regimen " << help->synopsis << "\n";
  out << "\n" << kExitCodes;
}

}  // namespace regimen::cli
