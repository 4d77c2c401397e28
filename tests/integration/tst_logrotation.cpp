#include "logfilereader.h"
#include "recordingpublisher.h"
#include "telemetry/jsonlogsink.h"
#include "telemetry/qtmessagerouter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <unistd.h>
#include <vector>

using namespace breakwater;

namespace {

Q_LOGGING_CATEGORY(lcRotationTest, "breakwater.test.rotation")

Event numbered(int n)
{
    Event e;
    e.time = std::chrono::system_clock::now();
    e.sequence = std::uint64_t(n) + 1;
    e.type = EventType::CallSucceeded;
    e.service = QStringLiteral("elevenlabs");
    e.callId = std::uint64_t(n) + 1;
    e.attempt = 1;
    e.latencyMs = 12.5;
    e.message = QStringLiteral("call %1 spoke").arg(n);
    return e;
}

// Writes `count` events through the sink in batches, flushing after each as the stream does.
void writeEvents(JsonLogSink& sink, int first, int count)
{
    std::vector<Event> batch;
    for (int i = first; i < first + count; ++i) {
        batch.push_back(numbered(i));
        if (batch.size() == 100) {
            sink.consume(batch);
            sink.flush();
            batch.clear();
        }
    }
    sink.consume(batch);
    sink.flush();
}

// The call ids in every file, oldest file first: what a reader of the rotated log sees.
std::vector<std::uint64_t> callIdsAcross(const QString& dir, int* unparsable)
{
    std::vector<std::uint64_t> ids;
    for (const QString& path : JsonLogSink::logFilesOldestFirst(dir)) {
        const test::LogFile log = test::readLogFile(path);
        *unparsable += log.unparsable;
        for (const Event& e : log.events)
            ids.push_back(e.callId);
    }
    return ids;
}

qint64 sizeOf(const QString& path)
{
    return QFileInfo(path).size();
}

} // namespace

// app.log rotated by size: files stay within the limit, always cut between lines, the oldest go
// past the number kept, and reading them oldest first gives every line kept, in order.
class TestLogRotation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rotatesBetweenLinesAndKeepsTheNewestFiles()
    {
        QTemporaryDir dir;
        JsonLogSinkOptions options;
        options.maxFileBytes = 20'000;
        options.maxFiles = 3;
        options.writeThreshold = 4096;
        JsonLogSink sink(dir.path(), options);
        QCOMPARE(sink.open(), QString());
        writeEvents(sink, 0, 2'000); // about 300 KB: many more files than are kept

        const QStringList files = JsonLogSink::logFilesOldestFirst(dir.path());
        QCOMPARE(files.size(), 4); // app.log.3, .2, .1 and app.log
        QVERIFY(files.last().endsWith(QStringLiteral("/app.log")));
        QVERIFY(files.first().endsWith(QStringLiteral("/app.log.3")));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("app.log.4"))));
        for (const QString& path : files) {
            QVERIFY2(sizeOf(path) <= options.maxFileBytes, qPrintable(path));
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY(file.readAll().endsWith('\n')); // never a line split across files
        }
        QVERIFY(sink.rotations() > 10);

        int unparsable = 0;
        const std::vector<std::uint64_t> ids = callIdsAcross(dir.path(), &unparsable);
        QCOMPARE(unparsable, 0);
        QVERIFY(!ids.empty());
        QCOMPARE(ids.back(), std::uint64_t(2'000)); // the newest line is the last read
        for (std::size_t i = 1; i < ids.size(); ++i)
            QCOMPARE(ids[i], ids[i - 1] + 1); // in order, nothing missing in what is kept
    }

    void aRotationThatCannotHappenLosesAndDeletesNothing()
    {
        QTemporaryDir dir;
        JsonLogSinkOptions options;
        options.maxFileBytes = 20'000;
        options.maxFiles = 3;
        options.writeThreshold = 4096;
        JsonLogSink sink(dir.path(), options);
        QCOMPARE(sink.open(), QString());
        writeEvents(sink, 0, 300); // app.log and app.log.1, .2 or so
        const QStringList before = JsonLogSink::logFilesOldestFirst(dir.path());

        // Every file descriptor taken: no next file can be opened for many flushes in a row.
        std::vector<int> taken;
        for (int fd; (fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0;)
            taken.push_back(fd);
        writeEvents(sink, 300, 500);
        for (const int fd : taken)
            ::close(fd);
        QVERIFY(!taken.empty());
        QCOMPARE(JsonLogSink::logFilesOldestFirst(dir.path()), before); // nothing shifted away
        QVERIFY(sizeOf(dir.filePath(QStringLiteral("app.log"))) > options.maxFileBytes);
        QCOMPARE(sink.eventsWritten(), std::uint64_t(800));

        // Descriptors back: rotation goes on, and every line is still there in order.
        writeEvents(sink, 800, 10);
        QVERIFY(sizeOf(dir.filePath(QStringLiteral("app.log"))) <= options.maxFileBytes);
        int unparsable = 0;
        const std::vector<std::uint64_t> ids = callIdsAcross(dir.path(), &unparsable);
        QCOMPARE(unparsable, 0);
        QCOMPARE(ids.back(), std::uint64_t(810));
        for (std::size_t i = 1; i < ids.size(); ++i)
            QCOMPARE(ids[i], ids[i - 1] + 1);
        QVERIFY(ids.front() <= 301); // the lines written while it could not rotate are all kept
    }

    void anOversizedLogFromBeforeIsRotatedAtTheFirstWrite()
    {
        QTemporaryDir dir;
        {
            QFile old(dir.filePath(QStringLiteral("app.log")));
            QVERIFY(old.open(QIODevice::WriteOnly));
            old.write(QByteArray(70'000, 'x') + '\n');
        }
        JsonLogSinkOptions options;
        options.maxFileBytes = 65'536;
        options.maxFiles = 2;
        JsonLogSink sink(dir.path(), options);
        QCOMPARE(sink.open(), QString());
        writeEvents(sink, 0, 10);
        QCOMPARE(sizeOf(dir.filePath(QStringLiteral("app.log.1"))), qint64(70'001));
        QCOMPARE(test::readLogFile(dir.filePath(QStringLiteral("app.log"))).events.size(),
                 std::size_t(10));
    }

    void withNoFilesKeptTheLogStartsAgain()
    {
        QTemporaryDir dir;
        JsonLogSinkOptions options;
        options.maxFileBytes = 10'000;
        options.maxFiles = 0;
        options.writeThreshold = 1024;
        JsonLogSink sink(dir.path(), options);
        QCOMPARE(sink.open(), QString());
        writeEvents(sink, 0, 500);
        QCOMPARE(JsonLogSink::logFilesOldestFirst(dir.path()).size(), 1);
        QVERIFY(sizeOf(dir.filePath(QStringLiteral("app.log"))) <= options.maxFileBytes);
        const test::LogFile log = test::readLogFile(dir.filePath(QStringLiteral("app.log")));
        QCOMPARE(log.unparsable, 0);
        QCOMPARE(log.events.back().callId, std::uint64_t(500));
    }

    void rotatedFilesAreOrderedByNumberNotName()
    {
        QTemporaryDir dir;
        for (const char* name : {"app.log", "app.log.1", "app.log.2", "app.log.10", "app.log.x"}) {
            QFile file(dir.filePath(QLatin1StringView(name)));
            QVERIFY(file.open(QIODevice::WriteOnly));
        }
        QStringList names;
        for (const QString& path : JsonLogSink::logFilesOldestFirst(dir.path()))
            names << QFileInfo(path).fileName();
        QCOMPARE(names, QStringList({QStringLiteral("app.log.10"), QStringLiteral("app.log.2"),
                                     QStringLiteral("app.log.1"), QStringLiteral("app.log")}));
    }

    // Qt's own warnings reach the stream with their category; the terminal still gets them.
    void qtMessagesAreRoutedWithTheirCategory()
    {
        static QStringList terminal;
        terminal.clear();
        const QtMessageHandler before =
            qInstallMessageHandler([](QtMsgType, const QMessageLogContext&,
                                      const QString& message) { terminal << message; });
        test::RecordingPublisher events;
        {
            QtMessageRouter router(events);
            qCWarning(lcRotationTest) << "the TLS handshake took too long";
            qCDebug(lcRotationTest) << "below the router's level";
        }
        qCWarning(lcRotationTest) << "after the router is gone";
        qInstallMessageHandler(before);

        const std::vector<Event> routed = events.recorder().events();
        QCOMPARE(routed.size(), std::size_t(1));
        QCOMPARE(routed[0].type, EventType::QtMessage);
        QCOMPARE(routed[0].level, EventLevel::Warning);
        QCOMPARE(routed[0].reason, QStringLiteral("breakwater.test.rotation"));
        QCOMPARE(routed[0].message, QStringLiteral("the TLS handshake took too long"));
        QVERIFY(terminal.contains(QStringLiteral("the TLS handshake took too long")));
        QVERIFY(terminal.contains(QStringLiteral("after the router is gone")));
    }

    // Two runtimes in one process: the newer router gets the messages while both live, the older
    // one again once the newer is gone, and the terminal each message once.
    void overlappingRoutersHandOverWithoutLooping()
    {
        static QStringList terminal;
        terminal.clear();
        const QtMessageHandler before =
            qInstallMessageHandler([](QtMsgType, const QMessageLogContext&,
                                      const QString& message) { terminal << message; });
        test::RecordingPublisher first;
        test::RecordingPublisher second;
        {
            QtMessageRouter older(first);
            {
                QtMessageRouter newer(second);
                qCWarning(lcRotationTest) << "while both live";
            }
            qCWarning(lcRotationTest) << "the older alone";
        }
        qCWarning(lcRotationTest) << "none left";
        qInstallMessageHandler(before);

        QCOMPARE(second.recorder().events().size(), std::size_t(1));
        QCOMPARE(second.recorder().events()[0].message, QStringLiteral("while both live"));
        QCOMPARE(first.recorder().events().size(), std::size_t(1));
        QCOMPARE(first.recorder().events()[0].message, QStringLiteral("the older alone"));
        QCOMPARE(terminal,
                 QStringList({QStringLiteral("while both live"), QStringLiteral("the older alone"),
                              QStringLiteral("none left")}));
    }
};

QTEST_GUILESS_MAIN(TestLogRotation)
#include "tst_logrotation.moc"
