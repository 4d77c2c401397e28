#pragma once

#include <QByteArray>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QStringList>

// Reads CSV files back with Python's csv module (tests/support/csv_to_json.py), an RFC 4180
// reader that shares no code with the writer under test: a writer bug cannot hide behind a
// reader with the same bug. The tests that use this need BREAKWATER_CSV_TO_JSON, the script's
// absolute path, as a compile definition.
namespace breakwater::csvtest {

struct CsvReadBack
{
    QList<QStringList> records; // all of them, or the first and the last of a summary
    QString error;              // empty when the file was read
    qsizetype count = 0;        // records in the file
    bool ok() const { return error.isEmpty(); }
};

enum class ReadBack
{
    AllRecords,
    FirstAndLast // for files too large to compare whole: every record is still parsed
};

// python3 is one of the packages .ci/install-deps installs: its absence is a broken test
// environment, reported as a failure by the caller, never a reason to skip.
inline CsvReadBack readCsvWithPython(const QString& path, ReadBack mode = ReadBack::AllRecords)
{
    CsvReadBack result;
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python.isEmpty()) {
        result.error = QStringLiteral("python3 is not on PATH; .ci/install-deps installs it");
        return result;
    }
    const QString script = QStringLiteral(BREAKWATER_CSV_TO_JSON);
    if (!QFile::exists(script)) {
        result.error = QStringLiteral("missing %1").arg(script);
        return result;
    }
    QProcess process;
    QStringList arguments{script, path};
    if (mode == ReadBack::FirstAndLast)
        arguments.insert(1, QStringLiteral("--summary"));
    process.start(python, arguments);
    // Generous: the largest file the tests read is some hundred megabytes.
    if (!process.waitForFinished(60'000)) {
        process.kill();
        process.waitForFinished();
        result.error =
            QStringLiteral("csv_to_json.py did not finish: %1").arg(process.errorString());
        return result;
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        result.error = QStringLiteral("csv_to_json.py failed (exit %1): %2")
                           .arg(process.exitCode())
                           .arg(QString::fromUtf8(process.readAllStandardError()));
        return result;
    }
    QJsonParseError parseError;
    const QJsonDocument document =
        QJsonDocument::fromJson(process.readAllStandardOutput(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        result.error = QStringLiteral("csv_to_json.py printed no JSON object: %1")
                           .arg(parseError.errorString());
        return result;
    }
    result.count = document.object().value(QStringLiteral("count")).toInteger(-1);
    const QJsonArray records = document.object().value(QStringLiteral("records")).toArray();
    result.records.reserve(records.size());
    for (const QJsonValue& record : records) {
        QStringList cells;
        for (const QJsonValue& cell : record.toArray())
            cells.append(cell.toString());
        result.records.append(cells);
    }
    if (mode == ReadBack::AllRecords && result.count != result.records.size())
        result.error = QStringLiteral("csv_to_json.py counted %1 records but printed %2")
                           .arg(result.count)
                           .arg(result.records.size());
    return result;
}

// What a cell of free text reads back as: the text, with the writer's `'` in front when a
// spreadsheet would otherwise take it for a formula (reference/integrations.md, section 7). Kept
// apart from CsvWriter::startsLikeFormula() on purpose: the test states the rule itself.
inline QString neutralised(const QString& text)
{
    static const QString formulaStarts = QStringLiteral("=+-@\t\r");
    if (!text.isEmpty() && formulaStarts.contains(text.front()))
        return QLatin1Char('\'') + text;
    return text;
}

} // namespace breakwater::csvtest
