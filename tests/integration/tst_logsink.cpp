#include "events/eventstream.h"
#include "jsonloghelpers.h"
#include "telemetry/jsonlogsink.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <array>
#include <atomic>
#include <thread>

using namespace breakwater;
using namespace breakwater::testing;

class TestLogSink final : public QObject
{
    Q_OBJECT

private slots:
    void everyEventFromFourThreadsIsWrittenOnce();
    void flushesWhileTheStreamRuns();
    void appendsToAnExistingLog();
    void openFailsWithAClearError_data();
    void openFailsWithAClearError();
    void skipsEventsBelowTheMinimumLevel();
    void aFullDiskIsCountedReportedOnceAndBounded();
};

namespace {

// Every type a publisher sends; events_dropped is the stream's own.
constexpr int kPublishedTypeCount = kEventTypeCount - 1;

Event numberedEvent(int thread, int index)
{
    Event event;
    event.time = WallTime(std::chrono::milliseconds(1'764'000'000'000 + index));
    event.type = EventType((thread + index) % kPublishedTypeCount);
    event.level = EventLevel((thread + index) % 5);
    event.service = QStringLiteral("elevenlabs");
    event.callId = std::uint64_t(thread) * 1'000'000 + std::uint64_t(index) + 1;
    event.attempt = index % 3 + 1;
    event.latencyMs = index / 8.0;
    event.message = QStringLiteral("thread %1 says \"%2\"\n").arg(thread).arg(index);
    return event;
}

QString tempPath(const QTemporaryDir& dir, const QString& name)
{
    return QDir(dir.path()).filePath(name);
}

} // namespace

void TestLogSink::everyEventFromFourThreadsIsWrittenOnce()
{
    constexpr int kThreads = 4;
    constexpr int kPerThread = 25'000;
    constexpr int kTotal = kThreads * kPerThread;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    JsonLogSink sink(tempPath(dir, QStringLiteral("logs/nested")));
    const QString error = sink.open();
    QVERIFY2(error.isEmpty(), qPrintable(error));

    EventStream stream;
    stream.addSink(&sink);
    stream.start();
    std::vector<std::thread> publishers;
    for (int t = 0; t < kThreads; ++t) {
        publishers.emplace_back([&stream, t] {
            for (int i = 0; i < kPerThread; ++i)
                stream.publish(numberedEvent(t, i));
        });
    }
    for (std::thread& publisher : publishers)
        publisher.join();
    stream.stop();
    QCOMPARE(stream.droppedCount(), 0u);

    const QByteArrayList lines = readLogLines(sink.filePath());
    QCOMPARE(lines.size(), kTotal);
    std::vector<bool> seen(kTotal + 1, false);
    std::array<int, kEventTypeCount> typeCounts{};
    std::array<std::uint64_t, kThreads> lastSequence{};
    std::array<int, kThreads> nextIndex{};
    for (const QByteArray& line : lines) {
        const std::optional<Event> event = parseLogLine(line);
        QVERIFY2(event, line.constData());
        QVERIFY2(event->sequence >= 1 && event->sequence <= kTotal, line.constData());
        QVERIFY2(!seen[event->sequence], line.constData());
        seen[event->sequence] = true;
        ++typeCounts[std::size_t(event->type)];

        // Each publisher's events appear whole and in the order it published them.
        const int thread = int((event->callId - 1) / 1'000'000);
        const int index = int((event->callId - 1) % 1'000'000);
        QVERIFY(thread >= 0 && thread < kThreads);
        QCOMPARE(index, nextIndex[thread]++);
        QVERIFY(event->sequence > lastSequence[thread]);
        lastSequence[thread] = event->sequence;
        compareEvents(*event, [&] {
            Event expected = numberedEvent(thread, index);
            expected.sequence = event->sequence;
            return expected;
        }());
        if (QTest::currentTestFailed())
            QFAIL(line.constData());
    }

    std::array<int, kEventTypeCount> expectedCounts{};
    for (int t = 0; t < kThreads; ++t) {
        for (int i = 0; i < kPerThread; ++i)
            ++expectedCounts[std::size_t((t + i) % kPublishedTypeCount)];
    }
    for (int type = 0; type < kEventTypeCount; ++type)
        QCOMPARE(typeCounts[std::size_t(type)], expectedCounts[std::size_t(type)]);
    QCOMPARE(sink.eventsWritten(), std::uint64_t(kTotal));
    QCOMPARE(sink.bytesWritten(), std::uint64_t(QFileInfo(sink.filePath()).size()));
    QCOMPARE(sink.writeErrors(), 0u);
    QCOMPARE(sink.eventsDropped(), 0u);
}

void TestLogSink::flushesWhileTheStreamRuns()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    JsonLogSink sink(dir.path());
    QCOMPARE(sink.open(), QString());
    EventStream stream;
    stream.addSink(&sink);
    stream.start();
    for (int i = 0; i < 3; ++i)
        stream.publish(numberedEvent(0, i));
    // Far below the write threshold: only the stream's periodic flush can put these out.
    QTRY_COMPARE_WITH_TIMEOUT(readLogLines(sink.filePath()).size(), 3, 5000);
    QCOMPARE(sink.eventsWritten(), 3u);
    stream.stop();
}

void TestLogSink::appendsToAnExistingLog()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QByteArray earlierRun = R"({"ts":"2026-11-27T09:00:00.000Z","level":"info",)"
                                  R"("event":"call_started","call_id":"call-1","seq":1})"
                                  "\n"
                                  R"({"ts":"2026-11-27T09:00:00.250Z","level":"info",)"
                                  R"("event":"call_succeeded","call_id":"call-1","seq":2})"
                                  "\n";
    {
        QFile file(tempPath(dir, QStringLiteral("app.log")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(earlierRun), earlierRun.size());
    }

    JsonLogSink sink(dir.path());
    QCOMPARE(sink.open(), QString());
    EventStream stream;
    stream.addSink(&sink);
    stream.start();
    stream.publish(numberedEvent(0, 0));
    stream.publish(numberedEvent(0, 1));
    stream.stop();

    QFile file(sink.filePath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray contents = file.readAll();
    QVERIFY(contents.startsWith(earlierRun));
    const QByteArrayList lines = readLogLines(sink.filePath());
    QCOMPARE(lines.size(), 4);
    for (const QByteArray& line : lines)
        QVERIFY2(parseLogLine(line), line.constData());
    QCOMPARE(parseLogLine(lines[3])->callId, numberedEvent(0, 1).callId);
}

void TestLogSink::openFailsWithAClearError_data()
{
    QTest::addColumn<QString>("blocker");   // made a plain file
    QTest::addColumn<QString>("directory"); // made a directory
    QTest::addColumn<QString>("logDir");
    QTest::addColumn<QString>("named"); // the path the error must name
    QTest::addColumn<QString>("reason");

    QTest::addRow("the log dir's parent is a file")
        << QStringLiteral("blocker") << QString() << QStringLiteral("blocker/logs")
        << QStringLiteral("blocker/logs") << QStringLiteral("cannot create the log directory");
    QTest::addRow("app.log is a directory")
        << QString() << QStringLiteral("logs/app.log") << QStringLiteral("logs")
        << QStringLiteral("logs/app.log") << QStringLiteral("cannot open the log file");
    QTest::addRow("no directory given") << QString() << QString() << QString() << QString()
                                        << QStringLiteral("no log directory given");
}

void TestLogSink::openFailsWithAClearError()
{
    QFETCH(QString, blocker);
    QFETCH(QString, directory);
    QFETCH(QString, logDir);
    QFETCH(QString, named);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    if (!blocker.isEmpty()) {
        QFile file(tempPath(dir, blocker));
        QVERIFY(file.open(QIODevice::WriteOnly));
    }
    if (!directory.isEmpty())
        QVERIFY(QDir(dir.path()).mkpath(directory));

    JsonLogSink sink(logDir.isEmpty() ? QString() : tempPath(dir, logDir));
    const QString error = sink.open();
    QVERIFY2(error.startsWith(reason), qPrintable(error));
    if (!named.isEmpty())
        QVERIFY2(error.contains(tempPath(dir, named)), qPrintable(error));

    // A sink that could not open takes events without complaint and writes nothing.
    const Event event = numberedEvent(0, 0);
    sink.consume(std::span(&event, 1));
    sink.flush();
    QCOMPARE(sink.eventsWritten(), 0u);
    QCOMPARE(sink.writeErrors(), 0u);
}

void TestLogSink::skipsEventsBelowTheMinimumLevel()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    JsonLogSinkOptions options;
    options.minimumLevel = EventLevel::Warning;
    JsonLogSink sink(dir.path(), options);
    QCOMPARE(sink.open(), QString());
    EventStream stream;
    stream.addSink(&sink);
    stream.start();
    for (int level = 0; level <= int(EventLevel::Critical); ++level) {
        Event event = numberedEvent(0, level);
        event.level = EventLevel(level);
        stream.publish(event);
    }
    stream.stop();

    const QByteArrayList lines = readLogLines(sink.filePath());
    QCOMPARE(lines.size(), 3);
    const EventLevel expected[] = {EventLevel::Warning, EventLevel::Error, EventLevel::Critical};
    for (int i = 0; i < 3; ++i) {
        const std::optional<Event> event = parseLogLine(lines[i]);
        QVERIFY(event);
        QCOMPARE(eventLevelName(event->level), eventLevelName(expected[i]));
    }
}

// /dev/full takes the file's place: every write fails with ENOSPC, as on a full disk.
void TestLogSink::aFullDiskIsCountedReportedOnceAndBounded()
{
    if (!QFile::exists(QStringLiteral("/dev/full")))
        QSKIP("no /dev/full to stand for a full disk");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QFile::link(QStringLiteral("/dev/full"), tempPath(dir, QStringLiteral("app.log"))));

    std::atomic<int> reports{0};
    QString reported; // written on the dispatch thread, read after stop()
    JsonLogSinkOptions options;
    options.writeThreshold = 16 * 1024;
    options.bufferLimit = 64 * 1024;
    options.onWriteError = [&reports, &reported](const QString& error) {
        reported = error;
        ++reports;
    };
    JsonLogSink sink(dir.path(), options);
    QCOMPARE(sink.open(), QString());

    EventStream stream;
    stream.addSink(&sink);
    stream.start();
    constexpr int kEvents = 20'000;
    for (int i = 0; i < kEvents; ++i)
        stream.publish(numberedEvent(1, i));
    // Another flush after the failure began: retried, counted again, not reported again.
    QTRY_VERIFY_WITH_TIMEOUT(sink.writeErrors() >= 2, 5000);
    stream.stop();

    QCOMPARE(reports.load(), 1);
    QVERIFY2(reported.contains(sink.filePath()), qPrintable(reported));
    QVERIFY2(reported.contains(QStringLiteral("No space left on device")), qPrintable(reported));
    QCOMPARE(sink.lastWriteError(), reported);
    QCOMPARE(sink.eventsWritten(), 0u);
    QCOMPARE(sink.bytesWritten(), 0u);
    QVERIFY(sink.eventsDropped() > 0);
    QVERIFY(sink.eventsDropped() < std::uint64_t(kEvents));
    QVERIFY2(sink.peakBufferBytes() <= options.bufferLimit,
             qPrintable(QString::number(sink.peakBufferBytes())));
}

QTEST_GUILESS_MAIN(TestLogSink)
#include "tst_logsink.moc"
