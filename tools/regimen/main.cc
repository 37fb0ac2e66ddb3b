// The `regimen` command-line tool: validate and inspect content packs, simulate and play
// sessions, generate and progress routines, and make schedules.
//
// Each subcommand lives in its own file (commands.h lists them); this file only dispatches.
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "regimen/regimen.h"
#include "tools/regimen/commands.h"

namespace {

struct Command {
  const char* name;
  int (*run)(const std::vector<std::string>& args);
  const char* usage;
};

const Command kCommands[] = {
    {"catalog", regimen::cli::RunCatalog,
     "catalog list [--catalog F] | catalog show ID [--catalog F]"},
    {"validate", regimen::cli::RunValidate, "validate FILE [--strict]"},
    {"simulate", regimen::cli::RunSimulate,
     "simulate ROUTINE_ID|FILE [--catalog F] [--script F] [--options F] [--attest NAME]... "
     "[--record]"},
    {"play", regimen::cli::RunPlay,
     "play ROUTINE_ID|next [--speed N] [--speak] [--catalog F] [--attest NAME]... [--state FILE] "
     "[--history FILE | --no-history] | play --resume FILE"},
    {"generate", regimen::cli::RunGenerate, "generate --profile F [--catalog F]"},
    {"progress", regimen::cli::RunProgress, "progress --request F [--catalog F]"},
    {"schedule", regimen::cli::RunSchedule,
     "schedule --profile F --from YYYY-MM-DD --days N [--catalog F]"},
    {"simulate-population", regimen::cli::RunSimulatePopulation,
     "simulate-population --users N --weeks W --threads T [--seed S] [--first-user K]"},
    {"history", regimen::cli::RunHistory, "history [--history FILE] [--json]"},
    {"next", regimen::cli::RunNext, "next --profile F [--history FILE] [--catalog F]"},
};

void PrintUsage(std::ostream& out) {
  out << "usage: regimen COMMAND [ARGS]\n\ncommands:\n";
  for (const Command& command : kCommands) out << "  regimen " << command.usage << "\n";
  out << "  regimen --version\n";
  out << "\noptions of simulate and play:\n"
         "  --attest NAME  an attestation the user gives (repeatable); a routine with a gated\n"
         "                 exercise runs only with every attestation its gate names, e.g.\n"
         "                 regimen play back_basics_plus --attest spine_flexible_strong_balanced\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    PrintUsage(std::cerr);
    return 2;
  }
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    PrintUsage(std::cout);
    return 0;
  }
  if (name == "--version") {
    std::cout << "regimen " << rgm_version() << "\n";
    return 0;
  }
  std::vector<std::string> args(argv + 2, argv + argc);
  for (const Command& command : kCommands) {
    if (name == command.name) return command.run(args);
  }
  std::cerr << "regimen: unknown command '" << name << "'\n";
  PrintUsage(std::cerr);
  return 2;
}
