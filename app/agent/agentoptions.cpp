#include "agentoptions.h"

#include "config/configloader.h"
#include "config/telemetryconfigkeys.h"

#include <QCommandLineParser>
#include <QDateTime>

namespace breakwater {
namespace {

std::optional<double> positiveNumber(const QString& text, double max)
{
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok || !(value > 0.0) || value > max)
        return std::nullopt;
    return value;
}

// --export-csv and the options that shape it. Returns why they do not make sense.
QString readExportOptions(const QCommandLineParser& parser, const QCommandLineOption& exportCsv,
                          const QCommandLineOption& fromLog, const QCommandLineOption& since,
                          const QCommandLineOption& service, const QCommandLineOption& event,
                          AgentOptions& o)
{
    if (!parser.isSet(exportCsv)) {
        for (const QCommandLineOption* option : {&fromLog, &since, &service, &event}) {
            if (parser.isSet(*option))
                return QStringLiteral("--%1 goes with --export-csv").arg(option->names().first());
        }
        return {};
    }
    o.exportPath = parser.value(exportCsv);
    if (o.exportPath.isEmpty())
        return QStringLiteral("--export-csv: must name a file, or - for standard output");
    o.exportLogDir = parser.isSet(fromLog) ? parser.value(fromLog) : o.config.logging.dir;
    if (o.exportLogDir.isEmpty())
        return QStringLiteral("--from-log: must not be empty");
    if (parser.isSet(since)) {
        const QDateTime at = QDateTime::fromString(parser.value(since), Qt::ISODateWithMs);
        if (!at.isValid())
            return QStringLiteral("--since: expected an ISO-8601 time such as "
                                  "2026-12-01T08:00:00Z, got \"%1\"")
                .arg(parser.value(since));
        o.exportFilter.since = WallTime(std::chrono::milliseconds(at.toMSecsSinceEpoch()));
    }
    o.exportFilter.service = parser.value(service);
    for (const QString& value : parser.values(event)) {
        for (const QString& name : value.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            if (!eventTypeFromName(name.trimmed()))
                return QStringLiteral("--event: \"%1\" is not an event type (such as "
                                      "call_failed)")
                    .arg(name.trimmed());
            o.exportFilter.events.append(name.trimmed());
        }
    }
    return {};
}

} // namespace

AgentOptionsParse parseAgentOptions(const QStringList& arguments)
{
    AgentOptionsParse result;
    AgentOptions& o = result.options;

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Breakwater's headless agent: the resilient call pipeline without a window.\n"
        "With no mode option it runs the load generator until interrupted (Ctrl-C)."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const QCommandLineOption config({QStringLiteral("c"), QStringLiteral("config")},
                                    QStringLiteral("Read the config from <file> (JSON)."),
                                    QStringLiteral("file"));
    const QCommandLineOption logDir(QStringLiteral("log-dir"),
                                    QStringLiteral("Write app.log into <dir> (logging.dir)."),
                                    QStringLiteral("dir"));
    const QCommandLineOption scenario(
        QStringLiteral("scenario"),
        QStringLiteral("Run a scenario and exit 0 only if every expectation held: \"seed\" or a "
                       "scenario file (docs/scenarios.md)."),
        QStringLiteral("seed|file"));
    const QCommandLineOption timeScale(
        QStringLiteral("time-scale"),
        QStringLiteral("Multiply every delay, timeout and interval by <x> (0.1: ten times "
                       "faster)."),
        QStringLiteral("x"), QStringLiteral("1"));
    const QCommandLineOption simulator(
        QStringLiteral("simulator"),
        QStringLiteral("Only serve the ElevenLabs simulator on 127.0.0.1 until interrupted."));
    const QCommandLineOption port(QStringLiteral("port"),
                                  QStringLiteral("The simulator's port (0: any free port)."),
                                  QStringLiteral("n"));
    const QCommandLineOption fault(QStringLiteral("fault"),
                                   QStringLiteral("The simulator's fault mode to start with."),
                                   QStringLiteral("mode"));
    const QCommandLineOption rate(QStringLiteral("rate"),
                                  QStringLiteral("Calls per second of the load generator."),
                                  QStringLiteral("cps"));
    const QCommandLineOption duration(QStringLiteral("duration"),
                                      QStringLiteral("Stop the load after <s> seconds."),
                                      QStringLiteral("s"));
    const QCommandLineOption level(
        QStringLiteral("level"),
        QStringLiteral("The least level printed on the terminal: debug, info, warning, error, "
                       "critical."),
        QStringLiteral("level"), QStringLiteral("info"));
    const QCommandLineOption printConfig(
        QStringLiteral("print-config"),
        QStringLiteral("Print the effective config (secrets masked) and exit."));
    const QCommandLineOption metricsListen(
        QStringLiteral("metrics-listen"),
        QStringLiteral("Serve Prometheus metrics on <address:port>/metrics (metrics.listen)."),
        QStringLiteral("address:port"));
    const QCommandLineOption exportCsv(
        QStringLiteral("export-csv"),
        QStringLiteral("Write the log as CSV to <file> (\"-\": standard output) and exit."),
        QStringLiteral("file"));
    const QCommandLineOption fromLog(
        QStringLiteral("from-log"),
        QStringLiteral("The log directory --export-csv reads (app.log and its rotated files; "
                       "default: logging.dir)."),
        QStringLiteral("dir"));
    const QCommandLineOption since(
        QStringLiteral("since"),
        QStringLiteral("--export-csv: only events at or after <time> (ISO-8601, such as "
                       "2026-12-01T08:00:00Z)."),
        QStringLiteral("time"));
    const QCommandLineOption service(QStringLiteral("service"),
                                     QStringLiteral("--export-csv: only events of <service>."),
                                     QStringLiteral("service"));
    const QCommandLineOption event(
        QStringLiteral("event"),
        QStringLiteral("--export-csv: only events of this type (call_failed, ...); repeat or "
                       "separate with commas for several."),
        QStringLiteral("event"));
    parser.addOptions({config, logDir, scenario, timeScale, simulator, port, fault, rate, duration,
                       level, printConfig, metricsListen, exportCsv, fromLog, since, service,
                       event});

    if (!parser.parse(arguments)) {
        result.error = parser.errorText();
        return result;
    }
    if (parser.isSet(help) || parser.isSet(version)) {
        result.exit = true;
        if (parser.isSet(help))
            parser.showHelp(0);
        parser.showVersion();
    }
    if (!parser.positionalArguments().isEmpty()) {
        result.error =
            QStringLiteral("unexpected argument: ") + parser.positionalArguments().first();
        return result;
    }

    // Without a file only the environment can make the defaults fail.
    if (parser.isSet(config) && parser.value(config).isEmpty()) {
        result.error = QStringLiteral("--config: must not be empty");
        return result;
    }
    ConfigLoad load = loadConfigOrDefaults(parser.value(config));
    if (load.error) {
        result.error = load.error->text();
        return result;
    }
    o.config = std::move(load.config);
    o.warnings = load.warnings;
    if (parser.isSet(logDir)) {
        if (parser.value(logDir).isEmpty()) {
            result.error = QStringLiteral("--log-dir: must not be empty");
            return result;
        }
        o.config.logging.dir = parser.value(logDir);
    }
    if (auto scale = positiveNumber(parser.value(timeScale), 100.0))
        o.timeScale = *scale;
    else {
        result.error = QStringLiteral("--time-scale: expected a number above 0 and at most 100");
        return result;
    }
    if (parser.isSet(port)) {
        bool ok = false;
        const uint value = parser.value(port).toUInt(&ok);
        if (!ok || value > 65535) {
            result.error = QStringLiteral("--port: expected a port number from 0 to 65535");
            return result;
        }
        o.config.simulator.port = quint16(value);
    }
    if (parser.isSet(fault)) {
        const auto mode = faultModeFromName(parser.value(fault));
        if (!mode) {
            result.error =
                QStringLiteral("--fault: unknown fault mode \"%1\"").arg(parser.value(fault));
            return result;
        }
        o.config.simulator.initialPlan.mode = *mode;
    }
    if (parser.isSet(rate)) {
        bool ok = false;
        const double value = parser.value(rate).toDouble(&ok);
        if (!ok || value < 0.0 || value > 100000.0) {
            result.error = QStringLiteral("--rate: expected calls per second from 0 to 100000");
            return result;
        }
        o.config.load.callsPerSecond = value;
    }
    if (parser.isSet(duration)) {
        o.durationSeconds = positiveNumber(parser.value(duration), 365.0 * 24 * 3600);
        if (!o.durationSeconds) {
            result.error = QStringLiteral("--duration: expected a number of seconds above 0");
            return result;
        }
    }
    if (auto parsed = eventLevelFromName(parser.value(level)))
        o.terminalLevel = *parsed;
    else {
        result.error = QStringLiteral("--level: expected debug, info, warning, error or critical");
        return result;
    }

    if (parser.isSet(metricsListen)) {
        QString host;
        quint16 listenPort = 0;
        if (QString problem = parseListenAddress(parser.value(metricsListen), &host, &listenPort);
            !problem.isEmpty()) {
            result.error = QStringLiteral("--metrics-listen: ") + problem;
            return result;
        }
        o.config.metrics.listen = parser.value(metricsListen);
    }
    if (QString error = readExportOptions(parser, exportCsv, fromLog, since, service, event, o);
        !error.isEmpty()) {
        result.error = error;
        return result;
    }

    const int modes = int(parser.isSet(scenario)) + int(parser.isSet(simulator)) +
                      int(parser.isSet(printConfig)) + int(parser.isSet(exportCsv));
    if (modes > 1) {
        result.error = QStringLiteral(
            "--scenario, --simulator, --print-config and --export-csv exclude each other");
        return result;
    }
    if (parser.isSet(exportCsv))
        o.mode = AgentOptions::Mode::ExportCsv;
    if (parser.isSet(scenario)) {
        o.mode = AgentOptions::Mode::Scenario;
        o.scenario = parser.value(scenario);
    } else if (parser.isSet(simulator)) {
        o.mode = AgentOptions::Mode::Simulator;
    } else if (parser.isSet(printConfig)) {
        o.mode = AgentOptions::Mode::PrintConfig;
    }
    return result;
}

} // namespace breakwater
