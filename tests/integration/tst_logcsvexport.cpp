#include "csvexportevents.h"
#include "csvreadback.h"
#include "telemetry/csvwriter.h"
#include "telemetry/eventcsv.h"
#include "telemetry/jsonlogsink.h"
#include "telemetry/logcsvexport.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace breakwater;
using namespace breakwater::csvtest;
using namespace breakwater::csvexporttest;

namespace {

// The events written to app.log and rotated as the agent would write them.
void writeLog(const QString& dir, const std::vector<Event>& events, qint64 maxFileBytes = 0)
{
    JsonLogSinkOptions options;
    options.maxFileBytes = maxFileBytes;
    options.maxFiles = 100;
    JsonLogSink sink(dir, options);
    QVERIFY(sink.open().isEmpty());
    for (std::size_t i = 0; i < events.size(); i += 50) {
        sink.consume(std::span<const Event>(events).subspan(
            i, std::min<std::size_t>(50, events.size() - i)));
        sink.flush();
    }
}

// What the dashboard's exporter writes for the same events: the command line must agree.
QByteArray dashboardCsv(const std::vector<Event>& events)
{
    QByteArray out;
    CsvWriter csv(out);
    EventCsvFormatter formatter;
    formatter.writeHeader(csv);
    for (const Event& e : events)
        formatter.writeRecord(csv, e);
    return out;
}

QByteArray exported(const QString& dir, const LogCsvFilter& filter, LogCsvExportResult* result)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    *result = exportLogAsCsv(JsonLogSink::logFilesOldestFirst(dir), buffer, filter);
    return buffer.data();
}

// An output that rotates the log the first time it is written to, as a running agent would while
// an export of its directory goes on.
class RotatingOnFirstWrite final : public QBuffer
{
public:
    explicit RotatingOnFirstWrite(QString dir)
        : m_dir(std::move(dir))
    {}

protected:
    qint64 writeData(const char* data, qint64 size) override
    {
        if (!m_rotated) {
            m_rotated = true;
            const QDir dir(m_dir);
            QFile::remove(dir.filePath(QStringLiteral("app.log.2")));
            QFile::rename(dir.filePath(QStringLiteral("app.log.1")),
                          dir.filePath(QStringLiteral("app.log.2")));
            QFile::rename(dir.filePath(QStringLiteral("app.log")),
                          dir.filePath(QStringLiteral("app.log.1")));
            QFile(dir.filePath(QStringLiteral("app.log"))).open(QIODevice::WriteOnly);
        }
        return QBuffer::writeData(data, size);
    }

private:
    const QString m_dir;
    bool m_rotated = false;
};

} // namespace

// breakwater-agent --export-csv's exporter: app.log and its rotated files, streamed into CSV.
class TestLogCsvExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theLogBecomesTheSameCsvAsTheDashboardWrites()
    {
        QTemporaryDir dir;
        // Millisecond times: the log keeps milliseconds, the dashboard's rows the full tick.
        std::vector<Event> events = hostileEvents(1'000);
        for (Event& e : events)
            e.time = std::chrono::time_point_cast<std::chrono::milliseconds>(e.time);
        writeLog(dir.path(), events, 64 * 1024); // rotated across several files
        QVERIFY(JsonLogSink::logFilesOldestFirst(dir.path()).size() > 2);

        LogCsvExportResult result;
        const QByteArray csv = exported(dir.path(), {}, &result);
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(result.rowsWritten, qint64(events.size()));
        QCOMPARE(result.linesSkipped, qint64(0));
        QCOMPARE(csv, dashboardCsv(events));

        // And a real CSV parser reads every hostile cell back as the text that went in.
        const QString path = dir.filePath(QStringLiteral("out.csv"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(csv);
        file.close();
        const CsvReadBack read = readCsvWithPython(path);
        QVERIFY2(read.ok(), qPrintable(read.error));
        QCOMPARE(read.records.size(), qsizetype(events.size()) + 1);
        for (std::size_t i = 0; i < events.size(); ++i)
            QCOMPARE(read.records[qsizetype(i) + 1], expectedCells(events[i]));
    }

    void filtersBySinceServiceAndEvent()
    {
        QTemporaryDir dir;
        std::vector<Event> events = hostileEvents(300);
        const WallTime start = WallTime(std::chrono::milliseconds(1'780'000'000'000));
        for (std::size_t i = 0; i < events.size(); ++i)
            events[i].time = start + std::chrono::seconds(i);
        writeLog(dir.path(), events);

        LogCsvFilter filter;
        filter.since = start + std::chrono::seconds(100);
        filter.service = events[150].service;
        filter.events = {eventTypeName(events[150].type)};
        std::vector<Event> expected;
        for (std::size_t i = 100; i < events.size(); ++i) {
            if (events[i].service == filter.service &&
                eventTypeName(events[i].type) == filter.events[0])
                expected.push_back(events[i]);
        }
        QVERIFY(!expected.empty());
        LogCsvExportResult result;
        QCOMPARE(exported(dir.path(), filter, &result), dashboardCsv(expected));
        QCOMPARE(result.rowsWritten, qint64(expected.size()));
        QCOMPARE(result.linesRead, qint64(events.size()));
    }

    void linesThatAreNotLogLinesAreSkippedAndCounted()
    {
        QTemporaryDir dir;
        const std::vector<Event> events = hostileEvents(3);
        writeLog(dir.path(), events);
        QFile log(dir.filePath(QStringLiteral("app.log")));
        QVERIFY(log.open(QIODevice::Append));
        log.write("not json at all\n{\"ts\":\"2026-12-01T00:00:00.000Z\"}\n{\"nested\":{}}\n");
        log.write("{\"ts\":\"2026-12-01T00:00:01.000Z\",\"level\":\"info\",\"event\":\"call_st");
        log.close(); // the last line torn, as a crash leaves it

        LogCsvExportResult result;
        const QByteArray csv = exported(dir.path(), {}, &result);
        QVERIFY(result.ok());
        QCOMPARE(result.rowsWritten, qint64(3));
        QCOMPARE(result.linesSkipped, qint64(4));
        QCOMPARE(csv,
                 dashboardCsv(std::vector<Event>(events.begin(), events.end())).left(csv.size()));
    }

    void aRotationDuringTheExportLosesNothing()
    {
        QTemporaryDir dir;
        std::vector<Event> events;
        for (int round = 0; round < 12; ++round) { // a few MB: the first write comes mid-file
            for (Event e : hostileEvents(500))
                events.push_back(std::move(e));
        }
        writeLog(dir.path(), events, 2 * 1024 * 1024);
        const QStringList files = JsonLogSink::logFilesOldestFirst(dir.path());
        QVERIFY2(files.size() >= 2, qPrintable(files.join(u' ')));

        RotatingOnFirstWrite out(dir.path());
        out.open(QIODevice::WriteOnly);
        const LogCsvExportResult result = exportLogAsCsv(files, out, {});
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(result.rowsWritten, qint64(events.size()));
        QCOMPARE(out.data(), dashboardCsv(events));
    }

    void theAgentExportsFromTheCommandLine()
    {
        QTemporaryDir dir;
        std::vector<Event> events = hostileEvents(200);
        writeLog(dir.path(), events);
        const QString out = dir.filePath(QStringLiteral("calls.csv"));
        QProcess agent;
        agent.start(QStringLiteral(BREAKWATER_AGENT),
                    {QStringLiteral("--export-csv"), out, QStringLiteral("--from-log"), dir.path(),
                     QStringLiteral("--event"), QStringLiteral("call_failed,call_skipped")});
        QVERIFY(agent.waitForFinished(30'000));
        QCOMPARE(agent.exitCode(), 0);
        const CsvReadBack read = readCsvWithPython(out);
        QVERIFY2(read.ok(), qPrintable(read.error));
        const auto wanted = std::count_if(events.begin(), events.end(), [](const Event& e) {
            return e.type == EventType::CallFailed || e.type == EventType::CallSkipped;
        });
        QCOMPARE(read.records.size(), qsizetype(wanted) + 1);
        QVERIFY(QString::fromUtf8(agent.readAllStandardError()).contains(QStringLiteral("rows")));

        agent.start(QStringLiteral(BREAKWATER_AGENT),
                    {QStringLiteral("--export-csv"), out, QStringLiteral("--from-log"), dir.path(),
                     QStringLiteral("--since"), QStringLiteral("yesterday")});
        QVERIFY(agent.waitForFinished(30'000));
        QCOMPARE(agent.exitCode(), 2);
        QVERIFY(
            QString::fromUtf8(agent.readAllStandardError()).contains(QStringLiteral("--since")));
    }
};

QTEST_GUILESS_MAIN(TestLogCsvExport)
#include "tst_logcsvexport.moc"
