#include "scenariowiring.h"

#include "agentruntime.h"
#include "breaker/circuitbreaker.h"
#include "pipeline/callpipeline.h"

namespace breakwater {

ScenarioHooks scenarioHooks(AgentRuntime& runtime)
{
    ScenarioHooks hooks;
    hooks.submit = [&runtime](CallRequest request) {
        return runtime.pipeline().submit(std::move(request));
    };
    hooks.setFault = [&runtime](const FaultPlan& plan) {
        return runtime.setFaultPlan(plan);
    };
    hooks.breakerState = [&runtime] {
        const CircuitBreaker* breaker = runtime.pipeline().breaker();
        return breaker ? breaker->state() : BreakerState::Closed;
    };
    return hooks;
}

ScenarioOptions scenarioOptions(const AppConfig& config, double timeScale)
{
    ScenarioOptions options;
    options.timeScale = timeScale;
    options.consecutiveFailures = config.breaker.consecutiveFailures;
    options.scripts = config.load.scripts;
    return options;
}

} // namespace breakwater
