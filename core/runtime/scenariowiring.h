#pragma once

#include "config/appconfig.h"
#include "scenario/scenariorunner.h"

namespace breakwater {

class AgentRuntime;

// How a scenario drives a runtime: its pipeline, its simulator's fault plan, its breaker. The
// runtime must outlive the runner.
ScenarioHooks scenarioHooks(AgentRuntime& runtime);

// What a scenario needs to know of the config it runs under (unscaled) and the time scale.
ScenarioOptions scenarioOptions(const AppConfig& config, double timeScale);

} // namespace breakwater
