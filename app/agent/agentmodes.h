#pragma once

#include "agentoptions.h"

namespace breakwater {

// Each returns the process's exit code: 0 success, 1 a scenario expectation failed, 2 bad usage
// or a config that cannot run (unwritable log dir, port in use, unreadable scenario).
int runScenarioMode(const AgentOptions& options);
int runLoadMode(const AgentOptions& options);
int runSimulatorMode(const AgentOptions& options);
int runPrintConfigMode(const AgentOptions& options);
int runExportCsvMode(const AgentOptions& options);

} // namespace breakwater
