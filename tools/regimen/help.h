// Help for the commands of the `regimen` tool. Each command describes itself in a CommandHelp,
// defined beside its code (cli_*.cc) and listed once in main.cc's command table; the printers
// here turn it into the text of `regimen help COMMAND`, `regimen COMMAND --help` and the
// overview of `regimen help`. The shape of each input file is printed from the message's
// descriptor, so field names are always the schema's (protobuf JSON mapping).
//
//   const CommandHelp kGenerateHelp = {
//       "generate", "generate --profile F [--catalog F]", "a routine for a profile", "...",
//       {{"--profile", "F", "the Profile"}}, {{"--profile F", &v1::Profile::descriptor, "..."}},
//       "regimen generate --profile examples/cli/profile.json"};
#ifndef REGIMEN_TOOLS_REGIMEN_HELP_H_
#define REGIMEN_TOOLS_REGIMEN_HELP_H_

#include <ostream>
#include <vector>

#include "google/protobuf/descriptor.h"

namespace regimen::cli {

// One option of a command.
struct OptionHelp {
  const char* flag;   // "--catalog"
  const char* value;  // the placeholder of its value ("F"); nullptr for a switch (--record)
  const char* text;   // what it does
};

// A file (or argument) a command reads.
struct InputHelp {
  const char* where;  // how it is given: "ROUTINE", "--script F"
  // Its message type; its fields are printed when `fields` is set. nullptr: not a protobuf.
  const google::protobuf::Descriptor* (*message)();
  const char* text;  // what it is, and a file to start from
  bool fields = true;
};

struct CommandHelp {
  const char* name;      // "simulate"
  const char* synopsis;  // the usage line after "regimen "
  const char* summary;   // one line for the overview
  const char* details;   // what it does, in a few lines (may be empty)
  std::vector<OptionHelp> options;
  std::vector<InputHelp> inputs;
  // One command line that works when pasted in the source tree (tests/cli/help_cli.py runs it).
  const char* example;
};

// Everything about one command, for `regimen help COMMAND` and `regimen COMMAND --help`.
void PrintCommandHelp(const CommandHelp& help, std::ostream& out);
// Every command's usage line and summary, the exit codes and where to read more.
void PrintOverview(const std::vector<const CommandHelp*>& commands, std::ostream& out);
// The exit codes every command shares, as printed in help.
extern const char kExitCodes[];

}  // namespace regimen::cli

#endif  // REGIMEN_TOOLS_REGIMEN_HELP_H_
