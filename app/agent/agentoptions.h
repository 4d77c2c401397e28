#pragma once

#include "config/appconfig.h"
#include "telemetry/logcsvexport.h"

#include <QStringList>

#include <optional>

namespace breakwater {

// What the command line asked breakwater-agent to do.
struct AgentOptions
{
    enum class Mode : quint8
    {
        Load,        // run the load generator until interrupted (or --duration)
        Scenario,    // run a scenario and judge it
        Simulator,   // serve the ElevenLabs simulator only
        PrintConfig, // print the effective config, secrets masked
        ExportCsv,   // turn app.log (and its rotated files) into CSV
    };

    Mode mode = Mode::Load;
    AppConfig config;
    QString scenario; // "seed" or a file
    double timeScale = 1.0;
    std::optional<double> durationSeconds; // Load: stop after this long
    EventLevel terminalLevel = EventLevel::Info;
    // ExportCsv: where to ("-": standard output), from which log directory, which lines.
    QString exportPath;
    QString exportLogDir;
    LogCsvFilter exportFilter;
    QStringList warnings; // from the config: worth telling, never fatal
};

struct AgentOptionsParse
{
    AgentOptions options;
    QString error;     // bad usage or bad config: exit code 2
    bool exit = false; // --help or --version was answered
};

AgentOptionsParse parseAgentOptions(const QStringList& arguments);

} // namespace breakwater
