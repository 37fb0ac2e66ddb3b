// The subcommands of the `regimen` tool. Each returns the process exit code: 0 success,
// 1 the input was invalid or the operation failed (the reason on stderr), 2 bad usage; and each
// describes itself in a CommandHelp (help.h) defined beside it.
#ifndef REGIMEN_TOOLS_REGIMEN_COMMANDS_H_
#define REGIMEN_TOOLS_REGIMEN_COMMANDS_H_

#include <string>
#include <vector>

#include "tools/regimen/help.h"

namespace regimen::cli {

int RunCatalog(const std::vector<std::string>& args);             // cli_catalog.cc
int RunValidate(const std::vector<std::string>& args);            // cli_catalog.cc
int RunSimulate(const std::vector<std::string>& args);            // cli_session.cc
int RunPlay(const std::vector<std::string>& args);                // cli_play.cc
int RunGenerate(const std::vector<std::string>& args);            // cli_progression.cc
int RunProgress(const std::vector<std::string>& args);            // cli_progression.cc
int RunSchedule(const std::vector<std::string>& args);            // cli_progression.cc
int RunSimulatePopulation(const std::vector<std::string>& args);  // cli_population.cc
int RunHistory(const std::vector<std::string>& args);             // cli_history.cc
int RunNext(const std::vector<std::string>& args);                // cli_history.cc
int RunExport(const std::vector<std::string>& args);              // cli_export.cc
int RunL10n(const std::vector<std::string>& args);                // cli_l10n.cc

extern const CommandHelp kCatalogHelp;             // cli_catalog.cc
extern const CommandHelp kValidateHelp;            // cli_catalog.cc
extern const CommandHelp kSimulateHelp;            // cli_session.cc
extern const CommandHelp kPlayHelp;                // cli_play.cc
extern const CommandHelp kGenerateHelp;            // cli_progression.cc
extern const CommandHelp kProgressHelp;            // cli_progression.cc
extern const CommandHelp kScheduleHelp;            // cli_progression.cc
extern const CommandHelp kSimulatePopulationHelp;  // cli_population.cc
extern const CommandHelp kHistoryHelp;             // cli_history.cc
extern const CommandHelp kNextHelp;                // cli_history.cc
extern const CommandHelp kExportHelp;              // cli_export.cc
extern const CommandHelp kL10nHelp;                // cli_l10n.cc

}  // namespace regimen::cli

#endif  // REGIMEN_TOOLS_REGIMEN_COMMANDS_H_
