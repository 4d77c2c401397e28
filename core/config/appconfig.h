#pragma once

#include "alerts/alertsettings.h"
#include "breaker/breakerconfig.h"
#include "events/event.h"
#include "health/healthchecker.h"
#include "retry/retrypolicy.h"
#include "services/elevenlabssettings.h"
#include "services/simulator/faultplan.h"
#include "telemetry/telemetrysettings.h"

#include <QString>
#include <QStringList>

namespace breakwater {

// How calls flow through the pipeline. Keys pipeline.*.
struct PipelineSettings
{
    int queueCapacity = 1000; // calls waiting for a slot; past it a new call is skipped at once
    int maxInFlight = 16;     // calls being attempted (or waiting for a retry) at once
};

// The load generator. Keys load.*.
struct LoadSettings
{
    double callsPerSecond = 2.0;
    QStringList scripts; // sample call scripts to pick from; empty: the built-in pool
    std::uint64_t seed = 1;
};

// The embedded ElevenLabs simulator, used when services.elevenlabs.base_url is empty. Keys
// simulator.*.
struct SimulatorSettings
{
    quint16 port = 0; // 0: any free port
    FaultPlan initialPlan;
};

// Keys logging.*.
struct LoggingSettings
{
    QString dir = QStringLiteral("logs");
    // Events below it stay out of app.log. Info keeps every call's start, retries, failures and
    // ending; debug adds each attempt's start and success, probes that found nothing wrong.
    EventLevel level = EventLevel::Info;
    // app.log moves to app.log.1 (and .1 to .2, ...) once it reaches this size; this many rotated
    // files are kept besides app.log (0: none, app.log is cut and starts again).
    qint64 maxFileBytes = qint64(64) * 1024 * 1024;
    int maxFiles = 5;
    // How often what is buffered reaches the file: what a crash can lose at most.
    Duration flushInterval = std::chrono::milliseconds(100);
};

// The dashboard. Keys dashboard.*.
struct DashboardSettings
{
    // Events the log table keeps; older ones leave the window (app.log keeps everything).
    int logRows = 1'000'000;
};

// Everything Breakwater can be told, each field defaulted so `{}` (or no file at all) runs the
// seed's behaviour on the simulator. Config keys are snake_case paths: retry.max_retries,
// breaker.consecutive_failures, services.elevenlabs.timeout_ms, ... parseConfig and loadConfigFile
// (configloader.h) read them, printConfig writes them; docs/configuration.md lists them all.
struct AppConfig
{
    ElevenLabsSettings elevenlabs; // services.elevenlabs.*
    RetryConfig retry;             // retry.*: the seed's 3 retries (4 attempts) with backoff
    BreakerConfig breaker;         // breaker.*
    HealthConfig health;           // health.*
    PipelineSettings pipeline;
    LoadSettings load;
    SimulatorSettings simulator;
    LoggingSettings logging;
    AlertSettings alerts;    // alerts.*
    SheetsSettings sheets;   // sheets.*
    MetricsSettings metrics; // metrics.*
    DashboardSettings dashboard;

    AppConfig();
};

} // namespace breakwater
