#include "config/configloader.h"
#include "session/dashboardsession.h"
#include "window/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>

#include <cstdio>

namespace {

int refuse(const QString& why)
{
    std::fprintf(stderr, "breakwater: %s\n", why.toUtf8().constData());
    return 2;
}

} // namespace

// breakwater: the dashboard. With no config it runs the pipeline against the embedded ElevenLabs
// simulator with load flowing; see --help and the README.
int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("breakwater"));
    QApplication::setOrganizationName(QStringLiteral("Breakwater"));
    QApplication::setApplicationVersion(QStringLiteral(BREAKWATER_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("breakwater"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Breakwater dashboard: live circuit breaker, retries, alerts and the log "
                       "of a resilient text-to-speech call pipeline."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption config({QStringLiteral("c"), QStringLiteral("config")},
                                    QStringLiteral("Read the config from <file> (JSON)."),
                                    QStringLiteral("file"));
    const QCommandLineOption logDir(QStringLiteral("log-dir"),
                                    QStringLiteral("Write app.log into <dir>."),
                                    QStringLiteral("dir"));
    parser.addOptions({config, logDir});
    parser.process(app);

    using namespace breakwater;
    if (parser.isSet(config) && parser.value(config).isEmpty())
        return refuse(QStringLiteral("--config: must not be empty"));
    ConfigLoad load = loadConfigOrDefaults(parser.value(config));
    if (load.error)
        return refuse(load.error->text());
    for (const QString& warning : load.warnings)
        std::fprintf(stderr, "breakwater: warning: %s\n", warning.toUtf8().constData());
    if (parser.isSet(logDir)) {
        if (parser.value(logDir).isEmpty())
            return refuse(QStringLiteral("--log-dir: must not be empty"));
        load.config.logging.dir = parser.value(logDir);
    }

    applySavedTheme();
    DashboardSession session(std::move(load.config));
    MainWindow window(session);
    if (const QString error = session.start(); !error.isEmpty()) {
        QMessageBox::critical(nullptr, QStringLiteral("Breakwater"),
                              QStringLiteral("Breakwater could not start:\n") + error);
        return refuse(error);
    }
    window.show();
    return QApplication::exec();
}
