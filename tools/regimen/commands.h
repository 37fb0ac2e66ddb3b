// The subcommands of the `regimen` tool. Each returns the process exit code: 0 success,
// 1 the input was invalid or the operation failed (the reason on stderr), 2 bad usage.
#ifndef REGIMEN_TOOLS_REGIMEN_COMMANDS_H_
#define REGIMEN_TOOLS_REGIMEN_COMMANDS_H_

#include <string>
#include <vector>

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

}  // namespace regimen::cli

#endif  // REGIMEN_TOOLS_REGIMEN_COMMANDS_H_
