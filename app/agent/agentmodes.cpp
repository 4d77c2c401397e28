#include "agentmodes.h"

#include "config/configprinter.h"
#include "pipeline/callpipeline.h"
#include "pipeline/loadgenerator.h"
#include "runtime/agentruntime.h"
#include "runtime/scenariowiring.h"
#include "scenario/scenarioparser.h"
#include "scenario/scenariorunner.h"
#include "scenario/timescale.h"
#include "services/simulator/simulatorhost.h"
#include "signalwatcher.h"
#include "telemetry/metrics/metricsendpoint.h"
#include "telemetry/sheets/sheetsrowsink.h"
#include "terminalprinter.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QTimer>

#include <cstdio>

namespace breakwater {
namespace {

void say(const QString& text)
{
    std::fputs((text + QLatin1Char('\n')).toUtf8().constData(), stdout);
    std::fflush(stdout);
}

void complain(const QString& text)
{
    std::fputs(
        (QStringLiteral("breakwater-agent: ") + text + QLatin1Char('\n')).toUtf8().constData(),
        stderr);
}

// Where this run's telemetry goes, so that an operator knows where to look (and what to scrape).
QString telemetryDestinations(AgentRuntime& runtime)
{
    QString text = QStringLiteral("log in %1, Sheets rows to %2")
                       .arg(runtime.logFilePath(), runtime.sheets().destination());
    if (const MetricsEndpoint* metrics = runtime.metricsEndpoint())
        text += QStringLiteral(", metrics at ") + metrics->url().toString();
    return text;
}

} // namespace

int runScenarioMode(const AgentOptions& options)
{
    const ScenarioParse parse = options.scenario == QStringLiteral("seed")
                                    ? seedScenario()
                                    : loadScenarioFile(options.scenario);
    if (!parse.error.isEmpty()) {
        complain(options.scenario + QStringLiteral(": ") + parse.error);
        return 2;
    }
    const AppConfig config = scaleTimes(options.config, options.timeScale);
    AgentRuntime runtime(config);

    ScenarioRunner runner(parse.scenario, scenarioHooks(runtime),
                          scenarioOptions(options.config, options.timeScale));
    QObject::connect(&runner, &ScenarioRunner::line, &runner, &say);
    runtime.addSink(&runner.sink());

    if (const QString error = runtime.start(); !error.isEmpty()) {
        complain(error);
        return 2;
    }
    say(QStringLiteral("ElevenLabs at %1, %2")
            .arg(runtime.serviceUrl().toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery),
                 telemetryDestinations(runtime)));

    SignalWatcher interrupts;
    bool interrupted = false;
    QObject::connect(&interrupts, &SignalWatcher::interrupted, &runner, [&interrupted] {
        interrupted = true;
        QCoreApplication::quit();
    });
    QObject::connect(&runner, &ScenarioRunner::finished, &runner, [] { QCoreApplication::quit(); });
    runner.start();
    QCoreApplication::exec();
    runtime.stop();
    if (interrupted) {
        say(QStringLiteral("Interrupted before the scenario ended."));
        return 1;
    }
    return runner.allHeld() ? 0 : 1;
}

int runLoadMode(const AgentOptions& options)
{
    const AppConfig config = scaleTimes(options.config, options.timeScale);
    AgentRuntime runtime(config);
    TerminalPrinter printer(options.terminalLevel);
    runtime.addSink(&printer);
    if (const QString error = runtime.start(); !error.isEmpty()) {
        complain(error);
        return 2;
    }
    say(QStringLiteral("ElevenLabs at %1, %2 calls/s, %3. Ctrl-C stops.")
            .arg(runtime.serviceUrl().toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery))
            .arg(config.load.callsPerSecond)
            .arg(telemetryDestinations(runtime)));
    SignalWatcher interrupts;
    QObject::connect(&interrupts, &SignalWatcher::interrupted, &runtime,
                     [] { QCoreApplication::quit(); });
    if (options.durationSeconds) {
        QTimer::singleShot(std::chrono::milliseconds(qint64(*options.durationSeconds * 1000)),
                           &runtime, [] { QCoreApplication::quit(); });
    }
    runtime.load().start();
    QCoreApplication::exec();
    runtime.stop();
    say(QStringLiteral("Stopped after %1 calls.").arg(runtime.load().submitted()));
    return 0;
}

int runSimulatorMode(const AgentOptions& options)
{
    SimulatorHost simulator;
    if (!simulator.start(QHostAddress(QHostAddress::LocalHost), options.config.simulator.port)) {
        complain(QStringLiteral("cannot start the simulator: ") + simulator.errorString());
        return 2;
    }
    if (const QString error = simulator.setFaultPlan(options.config.simulator.initialPlan);
        !error.isEmpty()) {
        complain(error);
        return 2;
    }
    say(QStringLiteral("ElevenLabs simulator listening on %1 (%2). Ctrl-C stops.")
            .arg(simulator.baseUrl().toString(),
                 describeFaultPlan(options.config.simulator.initialPlan)));
    SignalWatcher interrupts;
    QObject::connect(&interrupts, &SignalWatcher::interrupted, &interrupts,
                     [] { QCoreApplication::quit(); });
    QCoreApplication::exec();
    simulator.stop();
    return 0;
}

int runPrintConfigMode(const AgentOptions& options)
{
    std::fputs(printConfig(options.config).constData(), stdout);
    return 0;
}

} // namespace breakwater
