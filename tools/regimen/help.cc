#include "tools/regimen/help.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"

namespace regimen::cli {

const char kExitCodes[] =
    "exit codes: 0 ok; 1 bad input or a failed operation (the reason on stderr, nothing on\n"
    "stdout); 2 bad usage (an unknown command or option, a missing argument)\n";

namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;

// Nested messages deeper than this print as "{...}".
constexpr int kMaxDepth = 4;

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
