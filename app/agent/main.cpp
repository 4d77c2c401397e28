#include "agentmodes.h"

#include <QCoreApplication>

#include <cstdio>

// breakwater-agent: the pipeline without a window. See --help and the README.
int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("breakwater-agent"));
    QCoreApplication::setApplicationVersion(QStringLiteral(BREAKWATER_VERSION));

    using namespace breakwater;
    const AgentOptionsParse parse = parseAgentOptions(QCoreApplication::arguments());
    if (!parse.error.isEmpty()) {
        std::fprintf(stderr, "breakwater-agent: %s\nTry breakwater-agent --help.\n",
                     parse.error.toUtf8().constData());
        return 2;
    }
    for (const QString& warning : parse.options.warnings)
        std::fprintf(stderr, "breakwater-agent: warning: %s\n", warning.toUtf8().constData());
    switch (parse.options.mode) {
    case AgentOptions::Mode::Scenario:
        return runScenarioMode(parse.options);
    case AgentOptions::Mode::Simulator:
        return runSimulatorMode(parse.options);
    case AgentOptions::Mode::PrintConfig:
        return runPrintConfigMode(parse.options);
    case AgentOptions::Mode::ExportCsv:
        return runExportCsvMode(parse.options);
    case AgentOptions::Mode::Load:
        break;
    }
    return runLoadMode(parse.options);
}
