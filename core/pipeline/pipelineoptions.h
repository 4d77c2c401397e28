#pragma once

#include "breaker/breakerconfig.h"
#include "config/appconfig.h"
#include "health/healthchecker.h"
#include "retry/retrypolicy.h"

namespace breakwater {

// The parts of the config the pipeline runs by.
struct PipelineOptions
{
    RetryConfig retry;
    BreakerConfig breaker;
    HealthConfig health;
    PipelineSettings pipeline;
    bool healthChecks = true; // probe the service while the pipeline runs

    static PipelineOptions fromConfig(const AppConfig& config)
    {
        return {config.retry, config.breaker, config.health, config.pipeline, true};
    }
};

} // namespace breakwater
