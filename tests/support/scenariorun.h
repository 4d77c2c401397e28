#pragma once

#include "eventrecorder.h"
#include "runtime/agentruntime.h"
#include "runtime/scenariowiring.h"
#include "scenario/scenariorunner.h"
#include "scenario/timescale.h"

namespace breakwater::test {

// The runtime and a runner for one scenario, wired as breakwater-agent wires them, with every
// event recorded.
struct ScenarioRun
{
    ScenarioRun(const Scenario& scenario, const AppConfig& config, double timeScale)
        : runtime(scaleTimes(config, timeScale))
        , runner(scenario, scenarioHooks(runtime), scenarioOptions(config, timeScale))
    {
        runtime.addSink(&runner.sink());
        runtime.addSink(&recorder);
    }

    AgentRuntime runtime;
    ScenarioRunner runner;
    EventRecorder recorder;
};

} // namespace breakwater::test
