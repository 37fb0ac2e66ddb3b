// The `regimen` command-line tool: validate and inspect content packs, simulate and play
// sessions, generate and progress routines, and make schedules.
//
// Each subcommand lives in its own file (commands.h lists them) with its help; this file only
// dispatches, and answers `regimen help [COMMAND]`, `regimen COMMAND --help` and `-h`.
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "regimen/regimen.h"
#include "tools/regimen/commands.h"
#include "tools/regimen/help.h"

namespace {

using regimen::cli::CommandHelp;

struct Command {
  const CommandHelp* help;  // its name, usage and help text
  int (*run)(const std::vector<std::string>& args);
};

// Every command, in the order help lists them. A new command is one line here.
const Command kCommands[] = {
    {&regimen::cli::kCatalogHelp, regimen::cli::RunCatalog},
    {&regimen::cli::kValidateHelp, regimen::cli::RunValidate},
    {&regimen::cli::kSimulateHelp, regimen::cli::RunSimulate},
    {&regimen::cli::kPlayHelp, regimen::cli::RunPlay},
    {&regimen::cli::kGenerateHelp, regimen::cli::RunGenerate},
    {&regimen::cli::kProgressHelp, regimen::cli::RunProgress},
    {&regimen::cli::kScheduleHelp, regimen::cli::RunSchedule},
    {&regimen::cli::kSimulatePopulationHelp, regimen::cli::RunSimulatePopulation},
    {&regimen::cli::kHistoryHelp, regimen::cli::RunHistory},
    {&regimen::cli::kNextHelp, regimen::cli::RunNext},
    {&regimen::cli::kExportHelp, regimen::cli::RunExport},
    {&regimen::cli::kL10nHelp, regimen::cli::RunL10n},
};

const Command* Find(const std::string& name) {
  for (const Command& command : kCommands) {
    if (name == command.help->name) return &command;
  }
  return nullptr;
}

void PrintOverview(std::ostream& out) {
  std::vector<const CommandHelp*> all;
  for (const Command& command : kCommands) all.push_back(command.help);
  regimen::cli::PrintOverview(all, out);
}

int UnknownCommand(const std::string& name) {
  std::vector<std::string> names;
  for (const Command& command : kCommands) names.push_back(command.help->name);
  std::cerr << "regimen: unknown command '" << name << "'; the commands are "
            << absl::StrJoin(names, ", ") << ", help\n(regimen help tells more)\n";
  return 2;
}

bool AsksForHelp(const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    if (arg == "--") return false;  // what follows is not an option
    if (arg == "--help" || arg == "-h") return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    PrintOverview(std::cerr);
    return 2;
  }
  const std::string name = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  if (name == "--help" || name == "-h" || name == "help") {
    if (args.empty()) {
      PrintOverview(std::cout);
      return 0;
    }
    const Command* command = args.size() == 1 ? Find(args[0]) : nullptr;
    if (command == nullptr) return UnknownCommand(absl::StrJoin(args, " "));
    regimen::cli::PrintCommandHelp(*command->help, std::cout);
    return 0;
  }
  if (name == "--version") {
    std::cout << "regimen " << rgm_version() << "\n";
    return 0;
  }
  const Command* command = Find(name);
  if (command == nullptr) return UnknownCommand(name);
  if (AsksForHelp(args)) {
    regimen::cli::PrintCommandHelp(*command->help, std::cout);
    return 0;
  }
  return command->run(args);
}
