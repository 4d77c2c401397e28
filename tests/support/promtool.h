#pragma once

#include <QByteArray>
#include <QProcess>
#include <QStandardPaths>
#include <QString>

namespace breakwater::testing {

// What `promtool check metrics` said of an exposition.
struct PromtoolVerdict
{
    bool ran = false; // false: promtool is missing or did not finish; see output
    int exitCode = -1;
    QString output; // its findings (stdout and stderr)

    bool accepted() const { return ran && exitCode == 0 && output.trimmed().isEmpty(); }
};

// Pipes the text to `promtool check metrics` (Debian package prometheus), the linter Prometheus
// ships: it parses the text format and checks the naming rules (base units, _total counters).
inline PromtoolVerdict checkWithPromtool(const QByteArray& exposition)
{
    PromtoolVerdict verdict;
    const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
    if (promtool.isEmpty()) {
        verdict.output = QStringLiteral("promtool is not installed (apt-get install prometheus)");
        return verdict;
    }
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
    if (!process.waitForStarted(10000)) {
        verdict.output = QStringLiteral("promtool did not start: ") + process.errorString();
        return verdict;
    }
    process.write(exposition);
    process.closeWriteChannel();
    if (!process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished();
        verdict.output = QStringLiteral("promtool did not finish");
        return verdict;
    }
    verdict.ran = process.exitStatus() == QProcess::NormalExit;
    verdict.exitCode = process.exitCode();
    verdict.output = QString::fromUtf8(process.readAll());
    return verdict;
}

} // namespace breakwater::testing
