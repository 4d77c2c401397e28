#include "agentmodes.h"
#include "telemetry/jsonlogsink.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>

#include <cstdio>

namespace breakwater {

namespace {

int refuse(const QString& why)
{
    std::fprintf(stderr, "breakwater-agent: %s\n", why.toUtf8().constData());
    return 2;
}

} // namespace

// --export-csv: the log directory's files, oldest first, as one CSV. A file is written through
// QSaveFile, so an old export at the path stays whole until the new one is; "-" streams to
// standard output.
int runExportCsvMode(const AgentOptions& options)
{
    const QStringList files = JsonLogSink::logFilesOldestFirst(options.exportLogDir);
    if (files.isEmpty())
        return refuse(QStringLiteral("--from-log: no app.log in %1")
                          .arg(QDir::toNativeSeparators(options.exportLogDir)));

    LogCsvExportResult result;
    const bool toStdout = options.exportPath == u"-";
    if (toStdout) {
        QFile out;
        if (!out.open(stdout, QIODevice::WriteOnly))
            return refuse(QStringLiteral("cannot write to standard output"));
        result = exportLogAsCsv(files, out, options.exportFilter);
    } else {
        QSaveFile out(options.exportPath);
        if (!out.open(QIODevice::WriteOnly))
            return refuse(
                QStringLiteral("cannot write %1: %2")
                    .arg(QDir::toNativeSeparators(options.exportPath), out.errorString()));
        result = exportLogAsCsv(files, out, options.exportFilter);
        if (result.ok() && !out.commit())
            result.error =
                QStringLiteral("cannot write %1: %2")
                    .arg(QDir::toNativeSeparators(options.exportPath), out.errorString());
    }
    if (!result.ok())
        return refuse(result.error);
    QString summary = QStringLiteral("%1 rows from %2 log lines in %3 file(s)")
                          .arg(result.rowsWritten)
                          .arg(result.linesRead)
                          .arg(files.size());
    if (result.linesSkipped > 0)
        summary += QStringLiteral("; %1 lines were not log lines and were skipped")
                       .arg(result.linesSkipped);
    if (!toStdout)
        summary += QStringLiteral(" to ") + QDir::toNativeSeparators(options.exportPath);
    std::fprintf(stderr, "breakwater-agent: %s\n", summary.toUtf8().constData());
    return 0;
}

} // namespace breakwater
